fn main() {
    for f in std::env::args().skip(1) {
        match worthit::scenario::load(std::path::Path::new(&f)) {
            Ok(s) => println!(
                "ok {f}: {} paths, {} roles, {} assumptions",
                s.paths.len(),
                s.roles.len(),
                s.assumptions.len()
            ),
            Err(e) => println!("{e}"),
        }
    }
}
