# frozen_string_literal: true

Gem::Specification.new do |s|
  s.name = "cldkit"
  s.version = "0.1.0"
  s.summary = "Cloudinary URLs, signatures, uploads and the Admin API from the cldkit engine"
  s.description = "Ruby bindings of cldkit (uniffi): one Rust engine for Cloudinary delivery " \
                  "URLs, HTML tags, signatures, uploads and the Admin API, byte-exact with the " \
                  "official SDKs."
  s.license = "MIT"
  s.authors = ["cldkit"]
  s.required_ruby_version = ">= 3.0"
  s.files = Dir["lib/**/*.rb"] + Dir["lib/cldkit/libcldkit_uniffi.{so,dylib,dll}"]
  s.require_paths = ["lib"]
  s.add_dependency "ffi", ">= 1.15"
end
