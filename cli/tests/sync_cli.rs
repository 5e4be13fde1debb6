//! `cldkit sync` against `cldkit serve`: the directory is walked and synced, the
//! report gives the unchanged files' number by default and their ids with
//! `--unchanged-ids`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_cldkit");

/// The emulator, killed on drop.
struct Serve(Child);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(data: &Path) -> (Serve, String) {
    let mut child = Command::new(BIN)
        .arg("serve")
        .arg("--data")
        .arg(data)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let serve = Serve(child);
    for line in BufReader::new(out).lines() {
        let line = line.unwrap();
        if let Some(i) = line.find("cloudinary://") {
            return (serve, line[i..].trim().to_owned());
        }
    }
    panic!("the emulator printed no CLOUDINARY_URL");
}

fn sync(dir: &Path, url: &str, extra: &[&str]) -> serde_json::Value {
    let out = Command::new(BIN)
        .arg("sync")
        .arg(dir)
        .args(["--folder", "cli", "--cloudinary-url", url])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("cldkit-cli-sync-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn the_cli_syncs_a_directory_and_counts_the_unchanged_unless_asked_for_ids() {
    let root = scratch("run");
    let files = root.join("files");
    for (rel, body) in [
        ("a.txt", "alpha"),
        ("s/b.txt", "bravo"),
        ("s/t/c.txt", "charlie"),
    ] {
        let p = files.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, body).unwrap();
    }
    let (_serve, url) = serve(&root.join("emulator"));

    let first = sync(&files, &url, &[]);
    assert_eq!(
        first["uploaded"],
        serde_json::json!(["cli/a", "cli/s/b", "cli/s/t/c"])
    );
    assert_eq!(first["unchanged_count"], 0);

    std::fs::write(files.join("s/b.txt"), "bravo, changed").unwrap();
    let second = sync(&files, &url, &[]);
    assert_eq!(second["updated"], serde_json::json!(["cli/s/b"]));
    assert_eq!(second["unchanged"], serde_json::json!([]));
    assert_eq!(second["unchanged_count"], 2);

    let third = sync(&files, &url, &["--unchanged-ids"]);
    assert_eq!(
        third["unchanged"],
        serde_json::json!(["cli/a", "cli/s/b", "cli/s/t/c"])
    );
    assert!(third.get("unchanged_count").is_none());
    let _ = std::fs::remove_dir_all(&root);
}
