//! The `cldkit serve` command line (also the `cldkit-emulator` binary).

use std::io::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use crate::{faults, Account, DeliveryHost, Emulator, EmulatorConfig};

/// Usage text.
pub const USAGE: &str = "\
usage: cldkit serve [--port N] [--data DIR] [--cloudinary-url URL ...] [--listen ADDR]
                    [--hourly-budget N] [--budget-window SECS] [--fault JSON ...]
                    [--seed N] [--strict-sha256] [--delivery-host HOST[:PORT] | --cloudinary-hosts]
  Runs a local Cloudinary on 127.0.0.1 and prints the CLOUDINARY_URL of each account
  (with upload_prefix pointing at it, and cname / secure_distribution / url[...]
  delivery settings so that the SDKs build delivery URLs on the emulator: see the
  emulator README). Accounts come from --cloudinary-url
  (cloudinary://key:secret@cloud[?folder_mode=fixed&signature_algorithm=sha256&notification_url=...]);
  without one, cloudinary://123456789012345:abcd1234SECRETxyz@emulator is served.
  --data DIR keeps assets across restarts (default: a temporary directory).
  --listen ADDR binds another address than loopback (explicit opt-in); refused with
  the built-in account, whose secret is public: give --cloudinary-url with your own.
  --delivery-host HOST[:PORT] names the emulator in delivery URLs (answers and the
  printed CLOUDINARY_URL) when clients reach it by another name (default: its own
  address). --cloudinary-hosts keeps res.cloudinary.com there instead, for answers
  byte-identical to Cloudinary's (such URLs are not served offline).
  --hourly-budget N answers 420 after N Admin API requests per window and cloud;
  --budget-window SECS shortens the window (3600 by default) to test pacing.
  --fault JSON adds a fault-injection rule (see POST /_emulator/faults).
  The control endpoints /_emulator/faults need an account's credentials (HTTP Basic
  api_key:api_secret), a loopback Host (any Host with --listen) and, to POST,
  Content-Type: application/json.
";

/// Parses the arguments into a configuration.
pub fn parse_args(args: &[String]) -> Result<EmulatorConfig, String> {
    let mut config = EmulatorConfig::default();
    let mut accounts = Vec::new();
    let mut host: IpAddr = [127, 0, 0, 1].into();
    let mut port: u16 = 0;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_owned())),
            _ => (a.as_str(), None),
        };
        let mut value = || -> Result<String, String> {
            match &inline {
                Some(v) => Ok(v.clone()),
                None => it
                    .next()
                    .cloned()
                    .ok_or_else(|| format!("{flag} needs a value")),
            }
        };
        match flag {
            "--port" | "-p" => port = value()?.parse().map_err(|_| "--port needs a number")?,
            "--data" => config.data_dir = Some(PathBuf::from(value()?)),
            "--cloudinary-url" => accounts.push(Account::from_cloudinary_url(&value()?)?),
            "--listen" => {
                host = value()?
                    .parse()
                    .map_err(|_| "--listen needs an IP address")?
            }
            "--hourly-budget" => {
                config.hourly_budget = value()?
                    .parse()
                    .map_err(|_| "--hourly-budget needs a number")?
            }
            "--budget-window" => {
                config.budget_window_secs = value()?
                    .parse()
                    .map_err(|_| "--budget-window needs a number of seconds")?
            }
            "--fault" => config
                .faults
                .extend(faults::parse_rules(value()?.as_bytes())?),
            "--seed" => config.seed = value()?.parse().map_err(|_| "--seed needs a number")?,
            "--strict-sha256" => config.strict_sha256 = true,
            "--cloudinary-hosts" => config.delivery_host = DeliveryHost::Cloudinary,
            "--delivery-host" => {
                let host = value()?;
                if host.is_empty()
                    || host
                        .chars()
                        .any(|c| c.is_whitespace() || matches!(c, '/' | '?' | '#' | '&' | '@'))
                {
                    return Err(format!(
                        "--delivery-host needs HOST[:PORT] (no scheme or path), not {host:?}"
                    ));
                }
                config.delivery_host = DeliveryHost::Named(host);
            }
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unexpected argument {other:?}\n{USAGE}")),
        }
    }
    if !accounts.is_empty() {
        config.accounts = accounts;
    }
    config.bind = SocketAddr::new(host, port);
    Ok(config)
}

/// Runs the emulator until the process is stopped.
pub fn run(args: &[String]) -> Result<(), String> {
    let config = parse_args(args)?;
    let emu = Emulator::start(config)?;
    // A closed stdout (the reader went away) must not stop the server.
    let mut out = std::io::stdout().lock();
    for url in emu.cloudinary_urls() {
        let _ = writeln!(out, "CLOUDINARY_URL={url}");
    }
    let _ = writeln!(
        out,
        "# delivery: {}/<cloud>/<resource_type>/<type>/...",
        emu.base_url()
    );
    if emu.accounts().iter().any(|a| a.delivery_host.is_some()) {
        let _ = writeln!(
            out,
            "# delivery URLs: plain http; the npm SDK and cldkit's default profile build https \
             unless url() is given secure: false"
        );
    }
    let _ = out.flush();
    drop(out);
    emu.wait();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags() {
        let args: Vec<String> = [
            "--port",
            "0",
            "--data",
            "/tmp/x",
            "--cloudinary-url",
            "cloudinary://k:s@c1?folder_mode=fixed",
            "--fault",
            r#"{"nth": 1}"#,
            "--seed=5",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let c = parse_args(&args).unwrap();
        assert_eq!(c.accounts[0].cloud_name, "c1");
        assert_eq!(c.accounts[0].folder_mode, crate::FolderMode::Fixed);
        assert_eq!(c.faults.len(), 1);
        assert_eq!(c.seed, 5);
        assert!(c.bind.ip().is_loopback());
        assert_eq!(c.delivery_host, DeliveryHost::Emulator);
        assert!(parse_args(&["--bogus".into()]).is_err());
        let c = parse_args(&["--cloudinary-hosts".into()]).unwrap();
        assert_eq!(c.delivery_host, DeliveryHost::Cloudinary);
        let c = parse_args(&["--delivery-host=emulator:8080".into()]).unwrap();
        assert_eq!(c.delivery_host, DeliveryHost::Named("emulator:8080".into()));
        for bad in ["http://x", "x/y", "", "a b"] {
            assert!(
                parse_args(&["--delivery-host".into(), bad.into()]).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_public_address_needs_own_credentials() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let public = parse_args(&args(&["--listen", "0.0.0.0"])).unwrap();
        let err = crate::Emulator::start(public).err().expect("refused");
        assert!(err.contains("built-in test account"), "{err}");
        assert!(!err.contains("abcd1234SECRETxyz"), "{err}");
        let builtin = parse_args(&args(&[
            "--listen",
            "0.0.0.0",
            "--cloudinary-url",
            "cloudinary://123456789012345:abcd1234SECRETxyz@other",
        ]))
        .unwrap();
        assert!(crate::Emulator::start(builtin).is_err());
        // Own credentials are accepted with --listen (not started here: tests bind
        // loopback only), and loopback with the built-in account starts.
        let own = parse_args(&args(&[
            "--listen",
            "::1",
            "--cloudinary-url",
            "cloudinary://k:s@c1",
        ]));
        assert!(own.is_ok());
        assert!(crate::Emulator::start(parse_args(&[]).unwrap()).is_ok());
    }
}
