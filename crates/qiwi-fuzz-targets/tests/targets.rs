//! The target list: every target has seeds that it decodes without a panic, a short mutation
//! run finds nothing, and `fuzz/` has one cargo-fuzz target per entry.

use std::collections::BTreeSet;

use qiwi_fuzz_targets::harness::{self, Budget};
use qiwi_fuzz_targets::{Family, TARGETS, workspace_root};

#[test]
fn every_target_has_seeds_and_runs_them_without_a_panic() {
    for target in TARGETS {
        let seeds = target.seed_inputs().unwrap();
        assert!(!seeds.is_empty(), "{} has no seed", target.name);
        for (path, bytes) in seeds {
            let outcome = std::panic::catch_unwind(|| (target.run)(&bytes));
            assert!(
                outcome.is_ok(),
                "{} panics on {}",
                target.name,
                path.display()
            );
        }
    }
}

#[test]
fn every_family_has_targets_and_names_are_unique() {
    for family in Family::ALL {
        assert!(family.targets().next().is_some(), "{family:?}");
    }
    let names: BTreeSet<&str> = TARGETS.iter().map(|t| t.name).collect();
    assert_eq!(names.len(), TARGETS.len());
}

#[test]
fn a_short_mutation_run_of_every_target_finds_no_panic() {
    for target in TARGETS {
        let report = harness::run(target, Budget::Executions(500), 11).unwrap();
        assert_eq!(report.executions, 500);
        assert!(
            report.findings.is_empty(),
            "{}: {:?}",
            target.name,
            report.findings
        );
    }
}

#[test]
fn the_cargo_fuzz_package_has_exactly_one_target_per_entry() {
    let fuzz = workspace_root().join("fuzz");
    let manifest = std::fs::read_to_string(fuzz.join("Cargo.toml")).unwrap();
    let declared: BTreeSet<String> = manifest
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .filter_map(|l| l.strip_suffix('"'))
        .filter(|name| *name != "qiwi-sdk-fuzz")
        .map(str::to_owned)
        .collect();
    let files: BTreeSet<String> = std::fs::read_dir(fuzz.join("fuzz_targets"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    let listed: BTreeSet<String> = TARGETS.iter().map(|t| t.name.to_owned()).collect();
    assert_eq!(declared, listed, "[[bin]] entries of fuzz/Cargo.toml");
    assert_eq!(files, listed, "files in fuzz/fuzz_targets/");
    for name in &listed {
        let text = std::fs::read_to_string(fuzz.join(format!("fuzz_targets/{name}.rs"))).unwrap();
        assert!(
            text.contains(&format!("qiwi_fuzz_targets::run(\"{name}\", data)")),
            "fuzz_targets/{name}.rs runs another target"
        );
    }
}
