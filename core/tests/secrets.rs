//! Security review, finding 7: no printing path of a configuration shows a secret.
//! `Debug` of `Config` and `Client`, `Config::printable_values` (what the bindings'
//! `settings()` return) and the errors of calls that use URL-valued settings with
//! credentials (`api_proxy`, `upload_prefix`) are checked. Every server address is a
//! loopback one.

use cldkit::{Client, Config, Value};

const PROXY_PW: &str = "PrOxYpAsS7731";
const PROXY_USER: &str = "proxyUSERname";
const ACCOUNT_SECRET: &str = "AcCoUnTsEcReT4410";
const API_SECRET: &str = "ApIsEcReT9902";
const TOKEN_KEY: &str = "00112233FFeeDD99";
const OAUTH: &str = "OaUtHtOkEn5512";
const NESTED: &str = "NeStEdSeCrEt6620";

fn secrets() -> [&'static str; 7] {
    [
        PROXY_PW,
        PROXY_USER,
        ACCOUNT_SECRET,
        API_SECRET,
        TOKEN_KEY,
        OAUTH,
        NESTED,
    ]
}

fn assert_clean(what: &str, text: &str) {
    for s in secrets() {
        assert!(!text.contains(s), "{what} shows {s}: {text}");
    }
}

fn full_config() -> Config {
    let mut auth = cldkit::Map::new();
    auth.insert("key", TOKEN_KEY);
    auth.insert("duration", 300);
    let mut nested = cldkit::Map::new();
    nested.insert("api_secret", NESTED);
    nested.insert("label", "shown");
    Config::new()
        .with("cloud_name", "demo")
        .with("api_key", "1234567890")
        .with("api_secret", API_SECRET)
        .with("oauth_token", OAUTH)
        .with("auth_token", auth)
        .with(
            "api_proxy",
            format!("http://{PROXY_USER}:{PROXY_PW}@proxy.local:3128"),
        )
        .with(
            "account_url",
            format!("account://pk:{ACCOUNT_SECRET}@acct-1"),
        )
        .with("foo", nested)
}

#[test]
fn debug_of_config_and_client_hides_every_secret() {
    let config = full_config();
    let client = Client::new(config.clone());
    let shown = format!("{config:?} {config:#?} {client:?} {client:#?}");
    assert_clean("Debug", &shown);
    // What is not secret is still shown.
    for public in ["demo", "1234567890", "proxy.local:3128", "acct-1", "shown"] {
        assert!(shown.contains(public), "Debug lost {public}: {shown}");
    }
}

#[test]
fn printable_values_hide_every_secret() {
    let shown = full_config().printable_values();
    assert_clean("printable_values", &format!("{shown:?}"));
    assert_eq!(shown.get("api_secret"), Some(&Value::from("***")));
    assert_eq!(shown.get("auth_token"), Some(&Value::from("***")));
    assert_eq!(shown.get("api_key"), Some(&Value::from("1234567890")));
    assert_eq!(
        shown.get("api_proxy"),
        Some(&Value::from("http://***@proxy.local:3128"))
    );
}

/// `CLOUDINARY_ACCOUNT_URL` is copied verbatim into `account_url` by `from_vars`.
#[test]
fn account_url_from_the_environment_is_not_shown() {
    let config = Config::from_vars([
        ("CLOUDINARY_CLOUD_NAME".to_owned(), "demo".to_owned()),
        ("CLOUDINARY_API_SECRET".to_owned(), API_SECRET.to_owned()),
        (
            "CLOUDINARY_ACCOUNT_URL".to_owned(),
            format!("account://pk:{ACCOUNT_SECRET}@acct-1"),
        ),
        (
            "CLOUDINARY_API_PROXY".to_owned(),
            format!("http://{PROXY_USER}:{PROXY_PW}@127.0.0.1:3128"),
        ),
    ])
    .unwrap();
    // The value itself is kept for programmatic use.
    assert!(config
        .get("account_url")
        .and_then(Value::as_str)
        .is_some_and(|u| u.contains(ACCOUNT_SECRET)));
    let shown = format!(
        "{config:?} {:?} {:?}",
        Client::new(config.clone()),
        config.printable_values()
    );
    assert_clean("from_vars Debug", &shown);
    assert!(shown.contains("acct-1"), "{shown}");
}

/// Calls through a proxy or to an API host whose URL carries credentials fail
/// without showing them (both point at a closed loopback port).
#[test]
fn network_errors_do_not_show_url_credentials() {
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let base = Config::new()
        .with("cloud_name", "demo")
        .with("api_key", "1234567890")
        .with("api_secret", API_SECRET)
        .with("max_retries", 0)
        .with("connect_timeout", 5);
    let configs = [
        base.clone().with(
            "api_proxy",
            format!("http://{PROXY_USER}:{PROXY_PW}@127.0.0.1:{closed}"),
        ),
        base.clone().with(
            "upload_prefix",
            format!("http://{PROXY_USER}:{PROXY_PW}@127.0.0.1:{closed}"),
        ),
    ];
    for config in configs {
        let client = Client::new(config);
        let err = client
            .admin_blocking("ping", &cldkit::Map::new(), &cldkit::Map::new())
            .unwrap_err();
        assert_clean("ApiError", &format!("{err} {err:?}"));
        let core: cldkit::Error = err.into();
        assert_clean("Error", &format!("{core} {core:?}"));
    }
}
