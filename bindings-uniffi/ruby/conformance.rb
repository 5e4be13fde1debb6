# frozen_string_literal: true

# Conformance driver: `ruby bindings-uniffi/ruby/conformance.rb [--profile python|node|default]`.
#
# Reads conformance cases (JSON Lines: {"id", "kind", "config", "input", ...}) on
# standard input and writes one {"id": ..., "result": ...} line per case on standard
# output, running every kind through the Ruby binding's public API (Cldkit::Client
# and the module functions). A failing call gives {"error": "<code>: <message>"}, a
# kind this driver does not know {"unsupported": "<kind>"}. Each case gets a fresh
# client built from its config, with the clock frozen at the corpus clock. In the
# node profile a case also runs with the Node.js version the npm SDK's results were
# recorded with (unless its config sets one), and sign_request goes through
# Client#sign_request with the call's secret, algorithm and version as settings.
#
# The shared library: $CLDKIT_UNIFFI_LIB, else lib/cldkit/libcldkit_uniffi.so, else
# the system's library path (see Cldkit.library_path).

$LOAD_PATH.unshift(File.join(__dir__, "lib"))
require "json"
require "optparse"
require "cldkit"

module CldkitConformance
  CORPUS_CLOCK = 1_700_000_000
  CORPUS_NODE_VERSION = "20.20.2"

  module_function

  def opts(inp, name = "options")
    inp[name] || {}
  end

  # Input fields copied into a call's argument map (absent ones left out).
  def args(inp, *names)
    names.each_with_object({}) { |n, h| h[n] = inp[n] if inp.key?(n) }
  end

  def local(client, name, inp, *arg_names)
    client.call_local(name, args(inp, *arg_names), opts(inp))
  end

  def form(req)
    fields = req.fields.each_with_index.sort_by { |f, i| [f.name, i] }.map { |f, _| [f.name, f.value] }
    out = { "url" => req.url, "fields" => fields }
    out["authorization"] = req.authorization unless req.authorization.nil?
    out
  end

  def analytics(client, inp)
    url = local(client, "url", inp, "source")
    a = nil
    if url.is_a?(String) && url.include?("?")
      pair = url.split("?", 2)[1].split("&").find { |p| p.start_with?("_a=") }
      a = pair && pair[3..]
    end
    { "url" => url, "a" => a }
  end

  def sign_request(_client, inp, cfg)
    secret = inp.key?("api_secret") ? inp["api_secret"] : cfg["api_secret"]
    raise TypeError, "api_secret must be a String" unless secret.is_a?(String)

    version = inp.key?("signature_version") ? inp["signature_version"] : 2
    sig = Cldkit.api_sign_request(Cldkit.entries(inp["params"] || {}), secret,
                                  Cldkit.value(inp["algorithm"]), Cldkit.value(version))
    { "signature" => sig }
  end

  # The npm SDK's api_sign_request(params, secret, algorithm, version).
  def sign_request_node(_client, inp, cfg)
    settings = cfg.dup
    settings["api_secret"] = inp["api_secret"] if inp.key?("api_secret")
    settings["signature_algorithm"] = inp["algorithm"] if inp["algorithm"] && inp["algorithm"] != ""
    settings["signature_version"] = inp["signature_version"] unless inp["signature_version"].nil?
    signer = Cldkit::Client.from_config(settings, "node")
    { "signature" => signer.sign_request(inp["params"] || {}) }
  end

  def verify_notification(client, inp)
    now = inp.fetch("now", CORPUS_CLOCK)
    now = now.floor if now.is_a?(Float)
    valid = client.with_clock(now).call_local(
      "verify_notification", args(inp, "body", "timestamp", "signature", "valid_for")
    )
    { "valid" => valid }
  end

  # Python's str() of an upload parameter's value, as the corpus records them.
  def py_str(v)
    case v
    when true then "True"
    when false then "False"
    when nil then "None"
    else v.to_s
    end
  end

  def upload_params(client, inp)
    params = client.call_local("upload_params", {}, opts(inp))
    { "params" => params.transform_values { |v| v.is_a?(Array) ? v.map { |i| py_str(i) } : py_str(v) } }
  end

  def config_parse(client, inp)
    env = inp["env"] == "CLOUDINARY_ACCOUNT_URL" ? :account : :cloudinary
    url = inp["url"]
    raise TypeError, "the URL must be a String" unless url.is_a?(String)

    settings = if env == :account
                 Cldkit.parse_account_url_hash(url, client.profile)
               else
                 Cldkit.parse_cloudinary_url_hash(url, client.profile)
               end
    { "config" => settings }
  end

  HANDLERS = {
    "url" => ->(c, i, _) { { "url" => local(c, "url", i, "source") } },
    "analytics" => ->(c, i, _) { analytics(c, i) },
    "video_thumbnail_url" => ->(c, i, _) { { "url" => local(c, "video_thumbnail_url", i, "public_id") } },
    "auth_token" => ->(c, i, _) { { "token" => local(c, "auth_token", i) } },
    "config_parse" => ->(c, i, _) { config_parse(c, i) },
    "api_url" => ->(c, i, _) { { "url" => local(c, "api_url", i, "action") } },
    "sign_request" => ->(c, i, cfg) { sign_request(c, i, cfg) },
    "verify_notification" => ->(c, i, _) { verify_notification(c, i) },
    "verify_api_response" => lambda { |c, i, _|
      { "valid" => c.call_local("verify_api_response", args(i, "public_id", "version", "signature")) }
    },
    "upload_params" => ->(c, i, _) { upload_params(c, i) },
    "signed_upload_form" => ->(c, i, _) { form(c.upload_form("upload", { "file" => i["file"] }, opts(i))) },
    "upload_api_call" => lambda { |c, i, _|
      method = i["method"]
      raise TypeError, "method must be a String" unless method.is_a?(String)

      form(c.upload_form(method, opts(i, "args"), opts(i)))
    },
    "private_download_url" => ->(c, i, _) { { "url" => local(c, "private_download_url", i, "public_id", "format") } },
    "download_archive_url" => ->(c, i, _) { { "url" => local(c, "download_archive_url", i) } },
    "download_zip_url" => ->(c, i, _) { { "url" => local(c, "download_zip_url", i) } },
    "download_folder" => ->(c, i, _) { { "url" => local(c, "download_folder", i, "folder_path") } },
    "download_backedup_asset" => lambda { |c, i, _|
      { "url" => local(c, "download_backedup_asset", i, "asset_id", "version_id") }
    },
    "zip_download_url" => ->(c, i, _) { { "url" => local(c, "zip_download_url", i, "tag") } },
    "download_generated_sprite" => ->(c, i, _) { { "url" => local(c, "download_generated_sprite", i, "tag", "urls") } },
    "download_multi" => ->(c, i, _) { { "url" => local(c, "download_multi", i, "tag", "urls") } },
    "image_tag" => ->(c, i, _) { { "html" => local(c, "image_tag", i, "public_id") } },
    "video_tag" => ->(c, i, _) { { "html" => local(c, "video_tag", i, "public_id") } },
    "picture_tag" => ->(c, i, _) { { "html" => local(c, "picture_tag", i, "public_id") } }
  }.freeze

  # Runs one case through the public API and returns its result object.
  def run_case(kase, profile)
    kind = kase["kind"].to_s
    handler = HANDLERS[kind]
    handler = ->(c, i, cfg) { sign_request_node(c, i, cfg) } if profile == "node" && kind == "sign_request"
    return { "unsupported" => kind } if handler.nil?

    config = kase["config"] || {}
    config = config.merge("tech_version" => CORPUS_NODE_VERSION) if profile == "node" && !config.key?("tech_version")
    begin
      client = Cldkit::Client.from_config(config, profile).with_clock(CORPUS_CLOCK)
      handler.call(client, kase["input"] || {}, config)
    rescue Cldkit::CldkitError::InvalidOptionError, Cldkit::CldkitError::ConfigError,
           Cldkit::CldkitError::SignatureError => e
      { "error" => e.message }
    rescue TypeError, ArgumentError, RangeError, Encoding::UndefinedConversionError => e
      # Arguments of the wrong Ruby type, as pycloudinary rejects them too.
      { "error" => "#{e.class.name}: #{e.message}" }
    end
  end

  def main(argv)
    profile = "default"
    OptionParser.new do |o|
      o.banner = "usage: ruby conformance.rb [--profile default|python|node] < cases.jsonl"
      o.on("--profile NAME", %w[default python node]) { |p| profile = p }
    end.parse!(argv)
    $stdout.sync = false
    $stdin.each_line do |line|
      next if line.strip.empty?

      kase = JSON.parse(line)
      $stdout.write(JSON.generate({ "id" => kase["id"], "result" => run_case(kase, profile) }))
      $stdout.write("\n")
    end
    0
  end
end

exit(CldkitConformance.main(ARGV)) if $PROGRAM_NAME == __FILE__
