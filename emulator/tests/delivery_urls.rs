//! Delivery URLs that reach the emulator: upload, Admin and eager answers carry
//! `url`/`secure_url` on the emulator's address, the printed `CLOUDINARY_URL` makes the
//! core build URLs there, and `DeliveryHost` keeps Cloudinary's hosts or names another.
mod common;

use cldkit::{Client, Config, Profile};
use cldkit_emulator::{DeliveryHost, EmulatorConfig};
use common::*;
use serde_json::Value as Json;

fn fetch(url: &str) -> (u16, Vec<u8>) {
    let resp = reqwest::blocking::get(url).expect("delivery request");
    let status = resp.status().as_u16();
    (status, resp.bytes().expect("body").to_vec())
}

#[test]
fn answers_carry_urls_the_emulator_serves() {
    let (emu, client) = start(EmulatorConfig::default());
    let bytes = png(30, 20);
    let (status, r) = upload(
        &client,
        bytes.clone(),
        "u.png",
        &opts(r#"{"public_id": "urls/one", "eager": [{"width": 10, "crop": "scale"}]}"#),
    );
    assert_eq!(status, 200, "{r}");
    let v = r["version"].as_i64().unwrap();
    let expected = format!("{}/emulator/image/upload/v{v}/urls/one.png", emu.base_url());
    assert_eq!(r["url"], expected);
    assert_eq!(r["secure_url"], expected);
    for key in ["url", "secure_url"] {
        let (status, got) = fetch(r[key].as_str().unwrap());
        assert_eq!(status, 200, "{key}");
        assert_eq!(got, bytes, "{key}");
    }
    // Eager URLs too, and they are served at the announced size.
    let eager = r["eager"][0]["secure_url"].as_str().unwrap();
    assert!(eager.starts_with(emu.base_url()), "{eager}");
    let (status, got) = fetch(eager);
    assert_eq!(status, 200);
    assert_eq!(image::load_from_memory(&got).unwrap().width(), 10);
    // The Admin API's resource answer.
    let res: Json = admin_get(&emu, "resources/image/upload/urls/one")
        .json()
        .unwrap();
    assert_eq!(res["secure_url"], expected, "{res}");
    let listed: Json = admin_get(&emu, "resources/image").json().unwrap();
    assert_eq!(listed["resources"][0]["url"], expected, "{listed}");
}

#[test]
fn the_printed_cloudinary_url_makes_the_core_build_served_urls() {
    let (emu, _) = start(EmulatorConfig::default());
    let url = emu.cloudinary_url();
    let host = emu.addr().to_string();
    assert!(
        url.contains(&format!("cname={host}&secure_distribution={host}&")),
        "{url}"
    );
    assert!(
        url.contains(&format!(
            "url[secure]=false&url[cname]={host}&url[secure_cname]={host}"
        )),
        "{url}"
    );
    // upload_prefix stays last: what follows it is the base URL.
    assert_eq!(url.split("upload_prefix=").nth(1), Some(emu.base_url()));
    let (_, client) = start(EmulatorConfig::default());
    drop(client);
    let core = Client::from_url(&url).unwrap();
    let (status, r) = upload(&core, png(8, 8), "p.png", &opts(r#"{"public_id": "p"}"#));
    assert_eq!(status, 200, "{r}");
    let v = r["version"].as_i64().unwrap();
    let served = format!("{}/emulator/image/upload/v{v}/p.png", emu.base_url());
    // pycloudinary's defaults (profile python: secure unset = http) build it as is.
    let config = Config::from_cloudinary_url(&url)
        .unwrap()
        .with_profile(Profile::Python);
    let python = Client::new(config);
    let built = python
        .url("p.png", &opts(&format!(r#"{{"version": {v}}}"#)))
        .unwrap();
    assert_eq!(built, served);
    // cldkit's default profile builds https unless told `secure: false`; the host is
    // the emulator either way.
    let built = core
        .url(
            "p.png",
            &opts(&format!(
                r#"{{"version": {v}, "secure": false, "analytics": false}}"#
            )),
        )
        .unwrap();
    assert_eq!(built, served);
    let https = core.url("p.png", &opts(r#"{"analytics": false}"#)).unwrap();
    assert!(
        https.starts_with(&format!("https://{host}/emulator/")),
        "{https}"
    );
    // A transformation URL built by the core is rendered.
    let t = python
        .url(
            "p",
            &opts(r#"{"width": 4, "crop": "scale", "format": "jpg"}"#),
        )
        .unwrap();
    let (status, got) = fetch(&t);
    assert_eq!(status, 200, "{t}");
    assert_eq!(image::load_from_memory(&got).unwrap().width(), 4);
}

#[test]
fn cloudinary_hosts_keep_the_real_service_urls() {
    let (emu, client) = start(EmulatorConfig {
        delivery_host: DeliveryHost::Cloudinary,
        ..EmulatorConfig::default()
    });
    assert_eq!(
        emu.cloudinary_url(),
        format!(
            "cloudinary://123456789012345:abcd1234SECRETxyz@emulator?upload_prefix={}",
            emu.base_url()
        )
    );
    let (status, r) = upload(&client, png(8, 8), "c.png", &opts(r#"{"public_id": "c"}"#));
    assert_eq!(status, 200, "{r}");
    let v = r["version"].as_i64().unwrap();
    assert_eq!(
        r["url"],
        format!("http://res.cloudinary.com/emulator/image/upload/v{v}/c.png")
    );
    assert_eq!(
        r["secure_url"],
        format!("https://res.cloudinary.com/emulator/image/upload/v{v}/c.png")
    );
}

#[test]
fn a_named_delivery_host_is_used_in_answers_and_the_url() {
    let (emu, client) = start(EmulatorConfig {
        delivery_host: DeliveryHost::Named("media.test:8080".into()),
        ..EmulatorConfig::default()
    });
    assert!(
        emu.cloudinary_url().contains("cname=media.test:8080&"),
        "{}",
        emu.cloudinary_url()
    );
    let (status, r) = upload(&client, png(8, 8), "n.png", &opts(r#"{"public_id": "n"}"#));
    assert_eq!(status, 200, "{r}");
    let v = r["version"].as_i64().unwrap();
    assert_eq!(
        r["secure_url"],
        format!("http://media.test:8080/emulator/image/upload/v{v}/n.png")
    );
}
