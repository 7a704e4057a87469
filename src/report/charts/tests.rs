//! Every chart kind renders from synthetic data, with the embedded font only, into a PNG of
//! the right size that is not blank.

use std::collections::HashSet;

use super::*;
use crate::report::fixture;
use crate::report::paths::compared_paths;

/// Decodes a PNG and returns (width, height, distinct colours, share of non-white pixels).
fn inspect(png_bytes: &[u8]) -> (u32, u32, usize, f64) {
    let mut decoder = png::Decoder::new(png_bytes);
    // A chart of few colours is written with a palette: read as RGB.
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("a PNG frame");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    let pixels: Vec<&[u8]> = buf[..info.buffer_size()].chunks(3).collect();
    let colours: HashSet<&[u8]> = pixels.iter().copied().collect();
    let inked = pixels.iter().filter(|p| **p != [255, 255, 255]).count();
    (
        info.width,
        info.height,
        colours.len(),
        inked as f64 / pixels.len() as f64,
    )
}

fn assert_drawn(name: &str, png_bytes: &[u8]) {
    let (width, height, colours, inked) = inspect(png_bytes);
    assert_eq!(width, WIDTH, "{name}");
    assert!(
        (560..=1800).contains(&height),
        "{name}: {height} pixels high"
    );
    assert!(colours > 50, "{name}: only {colours} colours");
    assert!(inked > 0.03, "{name}: only {inked:.3} of pixels drawn");
}

#[test]
fn every_chart_of_a_realistic_scenario_renders() {
    let summary = fixture::realistic();
    let charts = render_all(&summary).unwrap();
    let names: Vec<&str> = charts.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "net_return.png",
            "masters_vs_bootcamp.png",
            "masters_vs_self_study.png",
            "bootcamp_vs_self_study.png",
            "cdf.png",
            "timeline.png",
            "tornado_masters.png",
            "outcomes_masters.png",
            "tornado_bootcamp.png",
            "outcomes_bootcamp.png",
            "tornado_self_study.png",
            "outcomes_self_study.png",
        ]
    );
    for (name, png_bytes) in &charts {
        assert_drawn(name, png_bytes);
    }
}

#[test]
fn a_degenerate_scenario_renders_without_panicking() {
    let summary = fixture::degenerate();
    let charts = render_all(&summary).unwrap();
    // No pair chart with a single compared path, and no tornado chart when nothing is
    // uncertain; the outcome chart still shows the one outcome.
    let names: Vec<&str> = charts.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "net_return.png",
            "cdf.png",
            "timeline.png",
            "outcomes_only.png"
        ]
    );
    for (name, png_bytes) in &charts {
        assert_drawn(name, png_bytes);
    }
}

#[test]
fn a_scenario_with_nothing_to_compare_renders() {
    let mut summary = fixture::degenerate();
    summary.paths.retain(|p| p.baseline);
    summary.pairs.clear();
    for (name, png_bytes) in render_all(&summary).unwrap() {
        assert_drawn(&name, &png_bytes);
    }
}

#[test]
fn a_towering_tail_bin_and_a_long_name_render() {
    let mut summary = fixture::realistic();
    summary.name = "A scenario whose name is far too long to fit on one line of a chart title, \
                    so it must be shrunk and then cut"
        .to_string();
    summary.paths[1].histogram[0].count += 40_000;
    for (name, png_bytes) in render_all(&summary).unwrap() {
        assert_drawn(&name, &png_bytes);
    }
}

#[test]
fn paths_keep_their_colour_and_colours_differ() {
    let summary = fixture::realistic();
    let colours: HashSet<_> = compared_paths(&summary)
        .map(|p| path_colour(&summary, &p.key))
        .collect();
    assert_eq!(colours.len(), 3);
    assert_eq!(path_colour(&summary, "masters"), PALETTE[0]);
}

#[test]
fn eleven_compared_paths_get_eleven_distinct_inks() {
    let summary = fixture::many();
    let inks: Vec<Ink> = compared_paths(&summary)
        .map(|p| path_ink(&summary, &p.key))
        .collect();
    assert_eq!(inks.len(), 11);
    let colours: HashSet<_> = inks.iter().map(|i| i.colour).collect();
    assert_eq!(colours.len(), 11, "no colour repeats");
    assert_eq!(
        inks.iter().filter(|i| i.dashed).count(),
        5,
        "paths 7 to 11 are dashed"
    );
    // The palette's colours are far apart: no two within a small RGB distance.
    for (i, a) in PALETTE.iter().enumerate() {
        for b in &PALETTE[i + 1..] {
            let d = [(a.0, b.0), (a.1, b.1), (a.2, b.2)]
                .iter()
                .map(|&(x, y)| (f64::from(x) - f64::from(y)).powi(2))
                .sum::<f64>()
                .sqrt();
            assert!(d > 60.0, "{a:?} and {b:?} are too close ({d:.0})");
        }
    }
}

#[test]
fn many_paths_get_one_matrix_and_the_leaders_pair_charts() {
    let summary = fixture::many();
    let charts = render_all(&summary).unwrap();
    let names: Vec<&str> = charts.iter().map(|(n, _)| n.as_str()).collect();
    let pairs: Vec<&&str> = names.iter().filter(|n| n.contains("_vs_")).collect();
    assert_eq!(pairs.len(), RIVALS_CHARTED, "{names:?}");
    assert!(names.contains(&"pairs.png"), "{names:?}");
    // The leader is the path likeliest to beat staying put, first in every pair chart.
    let leader = compared_paths(&summary)
        .max_by(|a, b| a.prob_beats_baseline.total_cmp(&b.prob_beats_baseline))
        .unwrap();
    for p in &pairs {
        assert!(p.starts_with(&format!("{}_vs_", leader.key)), "{p}");
    }
    for (name, png_bytes) in &charts {
        assert_drawn(name, png_bytes);
    }
    // Five compared paths or fewer: every pair, no matrix.
    let few = render_all(&fixture::realistic()).unwrap();
    assert!(few.iter().all(|(n, _)| n != "pairs.png"));
}

/// Writes every chart and the HTML page of the realistic scenario to /tmp/worthit-demo/ to
/// look at, and prints the rendering time: `cargo test --release -- --ignored render_demo`.
#[test]
#[ignore = "writes files for a person to look at"]
fn render_demo() {
    let summary = fixture::realistic();
    let out = std::path::Path::new("/tmp/worthit-demo");
    std::fs::create_dir_all(out).unwrap();
    let start = std::time::Instant::now();
    render_all(&summary).unwrap();
    let first = start.elapsed();
    let start = std::time::Instant::now();
    let charts = render_all(&summary).unwrap();
    let again = start.elapsed();
    println!(
        "rendered {} charts in {first:.2?} (first call, fonts loaded), {again:.2?} after",
        charts.len()
    );
    for (name, bytes) in &charts {
        std::fs::write(out.join(name), bytes).unwrap();
    }
    let run = crate::report::html::RunInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        threads: 2,
        elapsed_seconds: 1.8,
        trials_per_second: 11_000.0,
        scenario_file: "scenarios/analyst.toml".to_string(),
        sha256: "3f7a".repeat(16),
        extra: serde_json::json!({}),
    };
    let figures = crate::report::artifacts::figures(&summary).unwrap();
    let html =
        crate::report::html::scenario_report(&summary, &fixture::assumptions(), &figures, &run);
    std::fs::write(out.join("report.html"), html).unwrap();
    let index = crate::report::html::batch_index(&[(&summary, "analyst/report.html".to_string())]);
    std::fs::write(out.join("index.html"), index).unwrap();

    // The edge cases, to look at too.
    let mut stress = fixture::realistic();
    for (i, p) in stress.paths.iter_mut().enumerate() {
        p.label = format!(
            "{} with a label far longer than any legend expects, number {i}",
            p.label
        );
    }
    stress.name = "A scenario whose name is far too long to fit on one line of a chart title, \
                   so it must be shrunk and then cut"
        .to_string();
    stress.paths[1].histogram[0].count += 40_000;
    // Two bars cut in one bin, and one in the next: their labels must not overlap.
    stress.paths[2].histogram[0].count += 30_000;
    stress.paths[3].histogram[1].count += 30_000;
    for (folder, summary) in [
        ("degenerate", fixture::degenerate()),
        ("stress", stress),
        ("many", fixture::many()),
    ] {
        let dir = out.join(folder);
        std::fs::create_dir_all(&dir).unwrap();
        for (name, bytes) in render_all(&summary).unwrap() {
            std::fs::write(dir.join(name), bytes).unwrap();
        }
    }
}

/// Contrast with white of an sRGB colour, by WCAG's formula.
fn contrast_with_white(c: RGBColor) -> f64 {
    let linear = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.040_45 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = 0.2126 * linear(c.0) + 0.7152 * linear(c.1) + 0.0722 * linear(c.2);
    1.05 / (l + 0.05)
}

#[test]
fn text_in_a_paths_colour_is_readable_on_white() {
    // Published contrasts: the Okabe-Ito orange #E69F00 2.2:1, blue #0072B2 5.2:1.
    assert!((contrast_with_white(PALETTE[1]) - 2.25).abs() < 0.05);
    assert!((contrast_with_white(PALETTE[0]) - 5.2).abs() < 0.1);
    for c in PALETTE {
        let shade = readable(c);
        let k = contrast_with_white(shade);
        assert!(k >= 4.5, "{c:?} -> {shade:?}: {k:.2}");
        if contrast_with_white(c) >= 4.5 {
            assert_eq!(shade, c, "a colour already readable is kept");
        } else {
            // The same hue, only darker, and no darker than it needs to be.
            assert!(shade.0 <= c.0 && shade.1 <= c.1 && shade.2 <= c.2);
            assert!(k < 5.0, "{c:?} -> {shade:?}: {k:.2}");
        }
    }
}

/// Decodes a PNG to RGB bytes.
fn decoded(png_bytes: &[u8]) -> Vec<u8> {
    let mut decoder = png::Decoder::new(png_bytes);
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("a PNG frame");
    buf.truncate(info.buffer_size());
    buf
}

#[test]
fn charts_are_encoded_small_and_without_loss() {
    // Few colours: a palette, a byte a pixel; the pixels read back exactly.
    let (w, h) = (40u32, 30u32);
    let mut few = vec![255u8; (w * h * 3) as usize];
    for (i, px) in few.chunks_exact_mut(3).enumerate() {
        if i % 7 == 0 {
            px.copy_from_slice(&[0x00, 0x72, 0xB2]);
        } else if i % 11 == 0 {
            px.copy_from_slice(&[(i % 200) as u8, 10, 20]);
        }
    }
    let png_few = encode_png(&few, w, h).expect("encoded");
    let info = png::Decoder::new(png_few.as_slice())
        .read_info()
        .expect("header")
        .info()
        .color_type;
    assert_eq!(info, png::ColorType::Indexed);
    assert_eq!(decoded(&png_few), few);
    // More than 256 colours: RGB, and still exact.
    let many: Vec<u8> = (0..w * h)
        .flat_map(|i| [(i % 256) as u8, (i / 256) as u8, 7])
        .collect();
    assert!(palette_of(&many).is_none());
    let png_many = encode_png(&many, w, h).expect("encoded");
    assert_eq!(decoded(&png_many), many);
    // A real chart: the same pixels as drawn, in far fewer bytes than three a pixel.
    let summary = fixture::realistic();
    let png = net_return_png(&summary).expect("drawn");
    let rgb = decoded(&png);
    assert!(
        png.len() * 8 < rgb.len(),
        "{} bytes for {} pixels",
        png.len(),
        rgb.len() / 3
    );
}

#[test]
fn a_thresholds_chart_renders_with_and_without_a_crossing() {
    use crate::scenario::questions::Metric;
    use crate::threshold::fixture::result;
    use crate::threshold::{Crossing, End, Evaluation};
    let c = Crossing {
        value: 0.62,
        rising: true,
        range: (End::At(0.6), End::At(0.64)),
    };
    let mut r = result(Metric::ProbBeats, 0.5, (0.2, 0.7), Some(c));
    r.tried = [0.1, 0.5, 0.6, 0.62, 0.64, 0.9]
        .map(|v| Evaluation {
            value: v,
            metric: 0.2 + (v - 0.1) * 0.625,
            ci: (0.17 + (v - 0.1) * 0.625, 0.23 + (v - 0.1) * 0.625),
        })
        .to_vec();
    r.assumed_value = Some(0.75);
    let png = threshold_png(&r).expect("drawn");
    assert_drawn("threshold", &png);
    // The band of the crossing's 95% range: the path's blue at the fill's opacity over
    // white, somewhere in the chart.
    let rgb = decoded(&png);
    let blend = |c: u8| (255.0 + (f64::from(c) - 255.0) * FILL_ALPHA).round() as i32;
    let band = [PALETTE[0].0, PALETTE[0].1, PALETTE[0].2].map(blend);
    assert!(
        rgb.chunks_exact(3).any(|p| p
            .iter()
            .zip(band)
            .all(|(&a, b)| (i32::from(a) - b).abs() <= 2)),
        "no band drawn"
    );
    // No crossing, a median in dollars with an unbounded interval (few lives): drawn too.
    let mut r = result(Metric::Median, 0.0, (5_000.0, 90_000.0), None);
    r.tried[0].ci = (f64::NEG_INFINITY, 9_000.0);
    assert_drawn(
        "threshold without a crossing",
        &threshold_png(&r).expect("drawn"),
    );
}
