//! Issue 14, item 4: the PySpark job of `examples/spark/` replays a generated
//! population's logs in local mode over several partitions, and what it
//! prints is byte for byte what one `casim replay` process prints, whether
//! it reads the logs as NDJSON or as Parquet (`casim logs --format parquet`,
//! as a file and as a folder of part files). Needs
//! Python with PySpark and a JDK (.ci/run installs PySpark in a venv and sets
//! `CASIM_PYSPARK_PYTHON`); under CI a missing PySpark fails the test.

use std::process::Command;

use crate::common::{Scratch, casim, repo};

/// The Python to run the job with, if it has PySpark.
fn pyspark_python() -> Option<String> {
    let python = std::env::var("CASIM_PYSPARK_PYTHON").unwrap_or_else(|_| "python3".into());
    let found = Command::new(&python).args(["-c", "import pyspark"]).output().is_ok_and(|o| o.status.success());
    found.then_some(python)
}

#[test]
fn the_spark_job_merges_into_what_one_replay_prints() {
    let Some(python) = pyspark_python() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "PySpark is missing, and CI is set: .ci/run installs it (pip install pyspark) and sets CASIM_PYSPARK_PYTHON"
        );
        crate::common::skipped_loudly(
            "the Spark job test",
            "PySpark is missing (set CASIM_PYSPARK_PYTHON to a Python that has it); the job did not run",
        );
        return;
    };
    let s = Scratch::new("spark");
    let population = s.path_arg("population.yaml");
    let generated = casim(&["generate", "--users", "24", "--days", "3", "--seed", "8", "-o", &population]);
    assert!(generated.status.success());
    let logs = casim(&["logs", &population, "--format", "ndjson"]).stdout;
    let logs_path = s.write_bytes("logs.ndjson", &logs).display().to_string();
    let parquet_path = s.path_arg("logs.parquet");
    let written = casim(&["logs", &population, "--format", "parquet", "-o", &parquet_path]);
    assert!(written.status.success(), "{}", String::from_utf8_lossy(&written.stderr));
    // A folder of part files, as Spark writes a table: the same rows, named as Spark names them.
    let part = s.dir.join("signins").join("part-00000.snappy.parquet");
    std::fs::create_dir_all(part.parent().unwrap()).unwrap();
    std::fs::copy(&parquet_path, &part).unwrap();
    let folder = s.path_arg("signins");
    let base =
        s.write_arg("base.yaml", "- { name: SIF 12h, users: all, apps: all, session: { sign_in_frequency: 12h } }\n");
    let sif =
        s.write_arg("sif.yaml", "- { name: SIF 4h, users: all, apps: all, session: { sign_in_frequency: 4h } }\n");
    let bin = assert_cmd::cargo::cargo_bin("casim").display().to_string();
    // (input, its options, output format): NDJSON and the Parquet file by their names
    // (--input-format auto), the folder named by --input-format parquet.
    let runs: [(&str, &[&str], &str); 4] = [
        (&logs_path, &[], "text"),
        (&logs_path, &[], "json"),
        (&parquet_path, &[], "text"),
        (&folder, &["--input-format", "parquet"], "json"),
    ];
    for (input, options, format) in runs {
        let one = assert_cmd::Command::cargo_bin("casim")
            .unwrap()
            .args([
                "replay",
                "--stdin",
                "--baseline",
                &base,
                "--proposed",
                &sif,
                "--start",
                "2026-01-05",
                "--format",
                format,
            ])
            .write_stdin(logs.clone())
            .output()
            .unwrap();
        assert!(one.status.success(), "{}", String::from_utf8_lossy(&one.stderr));
        let job = Command::new(&python)
            .arg(repo("examples/spark/replay_job.py"))
            .args(["--logs", input])
            .args(options)
            .args(["--baseline", &base, "--proposed", &sif, "--partitions", "3"])
            .args(["--casim", &bin, "--master", "local[2]", "--format", format])
            .env("PYSPARK_PYTHON", &python)
            .output()
            .expect("the job runs");
        assert!(job.status.success(), "the Spark job failed on {input}:\n{}", String::from_utf8_lossy(&job.stderr));
        assert!(!one.stdout.is_empty());
        assert!(
            job.stdout == one.stdout,
            "{input}, {format}: the merged shards differ from one process of the NDJSON:\n{}",
            String::from_utf8_lossy(&job.stdout)
        );
    }
}
