//! `UniqueNumber` from many threads and from several processes at once: every number distinct,
//! each caller's numbers increasing, none longer than 20 digits.

use std::collections::HashSet;
use std::process::{Command, Stdio};

use qiwi_types::UniqueNumber;

/// Set in the environment of the copies of this test binary that only print numbers.
const CHILD: &str = "QIWI_UNIQUE_NUMBER_CHILD";
const PER_CALLER: usize = 400;

fn take(n: usize) -> Vec<u128> {
    (0..n).map(|_| UniqueNumber::next().get()).collect()
}

fn assert_increasing_and_short(numbers: &[u128]) {
    assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{numbers:?}");
    assert!(numbers.iter().all(|n| *n > 0 && n.to_string().len() <= 20));
}

#[test]
fn many_threads_never_share_a_number() {
    let lists: Vec<Vec<u128>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..16).map(|_| s.spawn(|| take(PER_CALLER))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut all = HashSet::new();
    for list in &lists {
        assert_increasing_and_short(list);
        all.extend(list.iter().copied());
    }
    assert_eq!(all.len(), 16 * PER_CALLER);
}

/// Prints numbers when run as a child (stdout is how it reports them); does nothing in a
/// normal test run.
#[test]
#[allow(clippy::print_stdout)]
fn child_prints_numbers() {
    if std::env::var_os(CHILD).is_some() {
        for n in take(PER_CALLER) {
            println!("number {n}");
        }
    }
}

#[test]
fn processes_started_together_never_share_a_number() {
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = (0..8)
        .map(|_| {
            Command::new(&exe)
                .args([
                    "--exact",
                    "unique_number::child_prints_numbers",
                    "--nocapture",
                ])
                .env(CHILD, "1")
                .stdout(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut all = HashSet::new();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success());
        let numbers: Vec<u128> = String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .filter_map(|l| l.strip_prefix("number "))
            .map(|n| n.parse().unwrap())
            .collect();
        assert_eq!(numbers.len(), PER_CALLER);
        assert_increasing_and_short(&numbers);
        all.extend(numbers);
    }
    assert_eq!(all.len(), 8 * PER_CALLER);
}
