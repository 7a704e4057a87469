//! `worthit merge PATH... [--out DIR]`: add up the states of sharded runs and write what the
//! unsharded `worthit run` writes, byte for byte for every CSV file.
//!
//! Every state is read and checked before anything is written: each scenario's states must
//! come from one run (same program version, scenario text, data, overrides, seed, trials and
//! N) and cover every shard exactly once. Memory holds one set of accumulators per scenario,
//! whatever the number of trials or shards: states are read one at a time and merged.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::app::{self, Done, Status};
use crate::cli::MergeArgs;
use crate::model::Model;
use crate::report::html::RunInfo;
use crate::report::output::{self, OutputError};
use crate::scenario::{self, Override, Scenario};
use crate::shard::state::{self, Header, State, hex};
use crate::shard::{Shard, data_sha256};
use crate::stats::accumulate::RunStats;

/// One scenario's states, merged so far.
struct Group {
    /// The first state read: the one the others are compared with.
    first: PathBuf,
    header: Header,
    sc: Scenario,
    model: Model,
    stats: RunStats,
    /// Shard index to (file, header), for coverage and run.json.
    shards: BTreeMap<u64, (PathBuf, Header)>,
}

/// `worthit merge`.
pub fn merge(args: &MergeArgs) -> Status {
    let files = match find_states(&args.paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return Status::Usage;
        }
    };
    let groups = match read_all(&files) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("error: {e}");
            return Status::Failed;
        }
    };
    let out = args.out.clone().unwrap_or_else(|| {
        groups
            .first()
            .and_then(states_out)
            .unwrap_or_else(|| PathBuf::from("output"))
    });
    match write_all(&groups, &out, args.no_charts) {
        Ok(()) => Status::Ok,
        Err(e) => {
            eprintln!("error: {e}");
            Status::Failed
        }
    }
}

/// The state files the paths name: files as given, folders searched (with their subfolders,
/// not following links) for `*.state` files; in path order, each file once.
fn find_states(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
        let entries =
            std::fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
            let path = entry.path();
            let kind = entry
                .file_type()
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            if kind.is_dir() {
                walk(&path, out)?;
            } else if kind.is_file() && path.extension().is_some_and(|x| x == "state") {
                out.push(path);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for p in paths {
        let mut found = Vec::new();
        if p.is_dir() {
            walk(p, &mut found)?;
            if found.is_empty() {
                return Err(format!(
                    "no shard states (*.state) in {}: run `worthit run ... --shard K/N` first",
                    p.display()
                ));
            }
            found.sort();
        } else if p.exists() {
            found.push(p.clone());
        } else {
            return Err(format!("no such file or folder: {}", p.display()));
        }
        for f in found {
            let key = std::fs::canonicalize(&f).unwrap_or_else(|_| f.clone());
            if seen.insert(key) {
                out.push(f);
            }
        }
    }
    Ok(out)
}

/// Read, check and merge every state, grouped by scenario (the output folder's name), in
/// the order of the scenario files. The first problem found is the error.
fn read_all(files: &[PathBuf]) -> Result<Vec<Group>, String> {
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    for file in files {
        let bytes =
            std::fs::read(file).map_err(|e| format!("{}: cannot be read: {e}", file.display()))?;
        let st = State::from_bytes(&bytes).map_err(|e| format!("{}: {e}", file.display()))?;
        drop(bytes);
        add(&mut groups, file, st).map_err(|e| format!("{}: {e}", file.display()))?;
    }
    let mut groups: Vec<Group> = groups.into_values().collect();
    for g in &groups {
        complete(g, files)?;
    }
    groups.sort_by(|a, b| {
        Path::new(&a.header.scenario_file)
            .cmp(Path::new(&b.header.scenario_file))
            .then_with(|| a.header.stem.cmp(&b.header.stem))
    });
    Ok(groups)
}

/// Add one state to its scenario's group, checking that it belongs there.
fn add(groups: &mut BTreeMap<String, Group>, file: &Path, st: State) -> Result<(), String> {
    let h = &st.header;
    let this = env!("CARGO_PKG_VERSION");
    if h.program != "worthit" || h.version != this {
        return Err(format!(
            "written by {} {}, and this is worthit {this}: merge with the version that ran the shards",
            h.program, h.version
        ));
    }
    if h.k >= h.n {
        return Err(format!("claims to be shard {} of {}", h.k, h.n));
    }
    if h.trials > crate::cli::MAX_TRIALS {
        return Err(format!(
            "is damaged: it records a run of {} trials, more than any run makes ({})",
            h.trials,
            crate::cli::MAX_TRIALS
        ));
    }
    let expected = Shard {
        k: h.k,
        n: h.n,
        from: None,
    }
    .trials(h.trials);
    if st.stats.trials() != expected || h.shard_trials != expected {
        return Err(format!(
            "holds {} where shard {} of {} of a run of {} has {expected}",
            crate::text::count(st.stats.trials(), "trial"),
            h.k,
            h.n,
            h.trials
        ));
    }
    if let Some(g) = groups.get_mut(&h.stem) {
        if let Some(diff) = g.header.mismatch(h) {
            return Err(format!(
                "is not from the same run as {} ({diff}): merge the states of one run, and remove those of others",
                g.first.display()
            ));
        }
        if let Some((other, _)) = g.shards.get(&h.k) {
            return Err(format!(
                "is shard {} of {} again, as is {}: keep one of them",
                h.k,
                h.n,
                other.display()
            ));
        }
        if !g.stats.same_shape(&st.stats) {
            return Err("holds statistics of another shape than its scenario's".to_string());
        }
        g.stats.merge(&st.stats);
        g.shards.insert(h.k, (file.to_path_buf(), st.header));
        return Ok(());
    }
    let (sc, model) = scenario_of(&st)?;
    if !RunStats::new(&model).same_shape(&st.stats) {
        return Err("holds statistics of another shape than its scenario's".to_string());
    }
    let stem = st.header.stem.clone();
    let mut shards = BTreeMap::new();
    shards.insert(st.header.k, (file.to_path_buf(), st.header.clone()));
    groups.insert(
        stem,
        Group {
            first: file.to_path_buf(),
            header: st.header,
            sc,
            model,
            stats: st.stats,
            shards,
        },
    );
    Ok(())
}

/// The scenario a state ran: its embedded text, loaded as the shard loaded it (same path, so
/// `empirical` data files are found beside it, and the same overrides), and checked against
/// the state's hashes.
fn scenario_of(st: &State) -> Result<(Scenario, Model), String> {
    let h = &st.header;
    if hex(&Sha256::digest(st.scenario_text.as_bytes())) != h.scenario_sha256 {
        return Err("is damaged: its scenario text does not match its SHA-256".to_string());
    }
    let overrides: Vec<Override> = h
        .overrides
        .iter()
        .map(|o| Override {
            key: o.key.clone(),
            value: o.value.clone(),
        })
        .collect();
    let file = Path::new(&h.scenario_file);
    let sc = scenario::load_with(&st.scenario_text, file, &overrides).map_err(|e| {
        let first = e.diagnostics.first().map_or_else(String::new, |d| {
            let key = if d.key.is_empty() {
                String::new()
            } else {
                format!("{}: ", d.key)
            };
            format!(": {key}found {}", d.found)
        });
        format!(
            "its scenario {} does not load here as the shard loaded it{first}",
            h.scenario_file
        )
    })?;
    if data_sha256(&sc) != h.data_sha256 {
        return Err(format!(
            "the data files of the empirical inputs of {} differ here from those the shard read",
            h.scenario_file
        ));
    }
    if sc.stem != h.stem || sc.simulation.trials != h.trials || sc.simulation.seed != h.seed {
        return Err(
            "is damaged: its scenario does not give the stem, trials and seed it records"
                .to_string(),
        );
    }
    let model = Model::new(&sc);
    Ok((sc, model))
}

/// Whether two paths name one file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Every shard of the group is there (`files`: the states read).
fn complete(g: &Group, files: &[PathBuf]) -> Result<(), String> {
    let n = g.header.n;
    let mut missing = (0..n).filter(|k| !g.shards.contains_key(k));
    let Some(first) = missing.next() else {
        return Ok(());
    };
    let more = missing.count();
    let dir = g.first.parent().unwrap_or(Path::new(""));
    let others = if more == 0 {
        String::new()
    } else {
        format!(
            " (and {more} more shard{})",
            if more == 1 { "" } else { "s" }
        )
    };
    // The shard's state must land beside the others: the same `--out`.
    let out = states_out(g).map_or_else(String::new, |dir| {
        format!(" --out {}", shell_word(&dir.display().to_string()))
    });
    let path = dir.join(state::file_name(first, n));
    // A file of that name that is another scenario's or run's (copied in, or left over) is
    // there, but is not this shard.
    let read = files.iter().any(|f| same_file(f, &path));
    let what = if read {
        format!(
            "{} holds another scenario's or run's state, not this one's shard",
            path.display()
        )
    } else if path.is_file() {
        format!("{} was not named (name it, or its folder)", path.display())
    } else {
        format!("{} is missing", path.display())
    };
    Err(format!(
        "{what}{others}: scenario {} has {} of its {n} shards; run `worthit run {}{} --shard {first}/{n}{out}`",
        g.header.stem,
        g.shards.len(),
        shell_word(&g.header.scenario_file),
        options(&g.header),
    ))
}

/// The command-line options that give a run's overrides: `--trials`, `--seed`, `--set`.
fn options(h: &Header) -> String {
    h.overrides
        .iter()
        .map(|o| match o.key.as_str() {
            "simulation.trials" => format!(" --trials {}", shell_word(&o.value)),
            "simulation.seed" => format!(" --seed {}", shell_word(&o.value)),
            _ => format!(" --set {}", shell_word(&format!("{}={}", o.key, o.value))),
        })
        .collect()
}

/// A warning when the scenario file the shards ran has changed on disk since: the merge
/// writes the results of the text the shards embedded, which a reader would otherwise take
/// for the file's. Nothing when the file is the same, or is not there to compare.
fn changed_since(h: &Header) -> Option<String> {
    let now = std::fs::read(&h.scenario_file).ok()?;
    (hex(&Sha256::digest(&now)) != h.scenario_sha256).then(|| {
        format!(
            "warning: {} has changed since its shards ran: these results are of the file as it was then, whose inputs the report lists",
            h.scenario_file
        )
    })
}

/// A warning when the folder `dir` held the results of a whole run (not a merge) made after
/// the newest of the group's states, with another scenario file, seed or trial count: the
/// states' results now take their place, as they do in every folder that `worthit merge
/// output` finds states in, which someone who since ran the scenario whole may not mean.
/// Nothing when the folder held no results, a merge's, or the same run's (whose CSVs are
/// the merge's, byte for byte).
fn replaces_later_run(dir: &Path, g: &Group) -> Option<String> {
    let run = output::worthit_run_json(dir)?;
    if run.get("shards").is_some() {
        return None;
    }
    let h = &g.header;
    let (trials, seed) = (run["trials"].as_u64()?, run["seed"].as_u64()?);
    let same_file = run["scenario_sha256"].as_str() == Some(h.scenario_sha256.as_str());
    if same_file && seed == h.seed && trials == h.trials {
        return None;
    }
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let whole = modified(&dir.join("run.json"))?;
    let newest = g.shards.values().filter_map(|(f, _)| modified(f)).max()?;
    (whole > newest).then(|| {
        format!(
            "warning: {} held the results of a whole run made after these shards ran ({} trials, seed {}{}); they are replaced by the shards' ({} trials, seed {}). To have the whole run's results back, run it again; to stop merging these states, remove them (rm {}/shard-*.state)",
            dir.display(),
            crate::text::thousands(trials),
            seed,
            if same_file {
                ""
            } else {
                ", another version of the scenario file"
            },
            crate::text::thousands(h.trials),
            h.seed,
            dir.display(),
        )
    })
}

/// `s` as one word for a POSIX shell: as is when safe, else single-quoted.
fn shell_word(s: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "._-/=:,+@".contains(c);
    if !s.is_empty() && s.chars().all(safe) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// The folder `worthit run --shard ... --out DIR` gave a group's shards, read from where its
/// first state is (`DIR/<stem>/shard-K-of-N.state`): where a merge without `--out` writes,
/// replacing the scenario folder that holds the states. `None` when the state is not in such
/// a folder (a state copied elsewhere); the merge then writes to `output`.
fn states_out(g: &Group) -> Option<PathBuf> {
    let folder = g.first.parent()?;
    if folder.file_name()? != g.header.stem.as_str() {
        return None;
    }
    let dir = folder.parent()?;
    Some(if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir.to_path_buf()
    })
}

/// Write each scenario's outputs as `run` does (each folder replaced whole, its state files
/// kept) under `out`, then the batch files of several.
fn write_all(groups: &[Group], out_dir: &Path, no_charts: bool) -> Result<(), OutputError> {
    output::check_writable(out_dir)?;
    output::lock(out_dir)?;
    // Every folder checked before any is replaced: all or none.
    for g in groups {
        output::check_replaceable(&output::scenario_dir(out_dir, &g.sc.stem)?)?;
    }
    if groups.len() > 1 {
        output::check_batch_files(out_dir, !no_charts)?;
    }
    let visuals = !no_charts;
    let mut out = crate::console::Stdout::new();
    let mut done = Vec::new();
    let mut retired = Vec::new();
    for g in groups {
        let dir = output::scenario_dir(out_dir, &g.sc.stem)?;
        let summary = g.stats.summarize(&g.model, &app::about(&g.sc));
        let shards: Vec<&Header> = g.shards.values().map(|(_, h)| h).collect();
        let elapsed: f64 = shards.iter().map(|h| h.elapsed_seconds).sum();
        let info = RunInfo {
            version: g.header.version.clone(),
            threads: shards.iter().map(|h| h.threads).max().unwrap_or(1),
            elapsed_seconds: elapsed,
            trials_per_second: g.header.trials as f64 / elapsed.max(1e-9),
            scenario_file: g.header.scenario_file.clone(),
            sha256: g.header.scenario_sha256.clone(),
            extra: extra(g),
        };
        let staged = output::stage(&dir)?;
        let inputs = crate::report::artifacts::Inputs {
            summary: &summary,
            assumptions: &g.sc.assumptions,
            run: &info,
            // A merge adds up the shards' trials; it runs nothing more, so the scenario's own
            // questions are answered by an unsharded run (or `worthit threshold`, `sweep`).
            questions: "",
        };
        app::write_scenario(staged.dir(), inputs, visuals)?;
        // Before the folder is replaced: a merge stopped halfway leaves no batch file that
        // contradicts the folders.
        retired.extend(app::retire_batch_files(out_dir, &[&g.sc.stem], false, true));
        let dropped = staged.dropped_answers();
        let later = replaces_later_run(&dir, g);
        staged.commit()?;
        app::print_headline(&mut out, &summary, &info, &dir, visuals);
        app::say_dropped(&mut out, &dir, &dropped, true);
        for w in changed_since(&g.header).into_iter().chain(later) {
            crate::errln!("{w}");
        }
        let asked = g.sc.thresholds.len() + g.sc.sweeps.len();
        if asked > 0 {
            crate::outln!(
                out,
                "  {} of the scenario not answered: a merge adds up trials and runs nothing more; ask them with an unsharded run, or `worthit threshold` and `worthit sweep`",
                crate::text::count(asked as u64, "question")
            );
        }
        done.push(Done {
            summary,
            dir,
            thresholds: Vec::new(),
            changed: crate::report::html::changed_on_command_line(&g.sc.assumptions),
            sweeps: Vec::new(),
        });
    }
    let stems: Vec<&str> = done.iter().map(|d| d.summary.stem.as_str()).collect();
    let batch = groups.len() > 1;
    retired.extend(app::retire_batch_files(out_dir, &stems, batch, visuals));
    app::say_retired(&mut out, &app::not_rewritten(retired, batch, visuals));
    if groups.len() > 1 {
        let summaries: Vec<_> = done.iter().map(|d| &d.summary).collect();
        let path = out_dir.join("batch_summary.csv");
        output::write_atomic(&path, &crate::report::csv::batch_summary(&summaries))?;
        crate::outln!(out, "wrote {}", path.display());
        if visuals {
            app::write_index(out_dir, &done, &[])?;
            crate::outln!(out, "wrote {}", out_dir.join("index.html").display());
        }
    }
    Ok(())
}

/// What `run.json` adds for a merged run: every trial asked for was run, and the shards it
/// was merged from (its `threads` is the most any shard used, `elapsed_seconds` the sum of
/// the shards' times).
fn extra(g: &Group) -> serde_json::Value {
    let states: Vec<serde_json::Value> = g
        .shards
        .iter()
        .map(|(k, (file, h))| {
            serde_json::json!({
                "k": k,
                "file": file.display().to_string(),
                "trials": h.shard_trials,
                "threads": h.threads,
                "elapsed_seconds": h.elapsed_seconds,
                "index_from": h.index_from,
            })
        })
        .collect();
    app::with_overrides(
        serde_json::json!({
            "stopped": "trial cap",
            "shards": { "n": g.header.n, "states": states },
        }),
        g.header
            .overrides
            .iter()
            .map(|o| (o.key.as_str(), o.value.as_str())),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_quote_what_needs_it() {
        assert_eq!(shell_word("scenarios/a-b_c.toml"), "scenarios/a-b_c.toml");
        assert_eq!(
            shell_word("paths.x.completion=0.9"),
            "paths.x.completion=0.9"
        );
        assert_eq!(shell_word("my file.toml"), "'my file.toml'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word(""), "''");
        assert_eq!(
            shell_word(r#"a={ dist = "beta" }"#),
            r#"'a={ dist = "beta" }'"#
        );
    }
}
