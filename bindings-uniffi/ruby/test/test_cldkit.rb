# frozen_string_literal: true

# The Ruby binding against the local Cloudinary emulator ($CLDKIT_EMULATOR, else
# target/debug/cldkit-emulator), and its type and error conversions.
#
#   CLDKIT_UNIFFI_LIB=target/debug/libcldkit_uniffi.so ruby bindings-uniffi/ruby/test/test_cldkit.rb

$LOAD_PATH.unshift(File.join(__dir__, "..", "lib"))
require "minitest/autorun"
require "tmpdir"
require "uri"
require "fileutils"
require "cldkit"

ROOT = File.expand_path("../../..", __dir__)

# A running cldkit-emulator on a free loopback port.
class Emulator
  attr_reader :cloudinary_url

  def initialize
    binary = ENV["CLDKIT_EMULATOR"] ||
             File.join(ENV["CARGO_TARGET_DIR"] || File.join(ROOT, "target"), "debug", "cldkit-emulator")
    raise "emulator not found at #{binary}" unless File.executable?(binary)

    @data = Dir.mktmpdir("cldkit-rb-emu-")
    @io = IO.popen([binary, "--port", "0", "--data", @data], err: File::NULL)
    line = @io.gets.to_s.strip
    raise "unexpected emulator output #{line.inspect}" unless line.start_with?("CLOUDINARY_URL=")

    @cloudinary_url = line.split("=", 2)[1]
  end

  def stop
    Process.kill("TERM", @io.pid)
    @io.close
    FileUtils.remove_entry(@data)
  end
end

class TestCldkit < Minitest::Test
  def test_upload_then_list_through_the_emulator
    emu = Emulator.new
    begin
      client = Cldkit::Client.from_url(emu.cloudinary_url)
      Dir.mktmpdir do |dir|
        path = File.join(dir, "pixel.gif")
        File.binwrite(path, "GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00," \
                            "\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;".b)
        up = client.call_blocking("upload", { file: path }, { public_id: "rb/pixel", tags: ["uniffi-rb"] })
        assert_equal "rb/pixel", up["public_id"]
        assert_equal "gif", up["format"]
        assert_kind_of Integer, up["version"]
      end
      listed = client.call_blocking("resources_by_tag", { tag: "uniffi-rb" })
      assert_equal ["rb/pixel"], listed["resources"].map { |r| r["public_id"] }
      # The same listing through the async call.
      assert_equal ["rb/pixel"], client.call("resources_by_tag", { tag: "uniffi-rb" })["resources"].map { |r| r["public_id"] }

      err = assert_raises(Cldkit::CldkitError::NotFoundError) do
        client.call_blocking("resource", { public_id: "rb/missing" })
      end
      assert_equal "not_found", err.code
      assert_equal 404, err.status
      refute_includes err.message, URI.decode_www_form_component(emu.cloudinary_url[%r{:([^:@/]+)@}, 1])
    ensure
      emu.stop
    end
  end

  def test_url_keeps_integers_and_floats_apart
    c = Cldkit::Client.from_url("cloudinary://k:s@demo?analytics=false")
    assert_equal "https://res.cloudinary.com/demo/image/upload/c_fill,h_200,w_300/sample.jpg",
                 c.url("sample.jpg", width: 300, height: 200, crop: "fill")
    assert_equal "https://res.cloudinary.com/demo/image/upload/w_2.0/sample.jpg", c.url("sample.jpg", width: 2.0)
  end

  def test_signature_matches_the_documented_example
    # Cloudinary's documented example: public_id=sample_image&timestamp=1315060510 + "abcd".
    c = Cldkit::Client.from_config({ cloud_name: "demo", api_key: "1234", api_secret: "abcd" }, "python")
    assert_equal "b4ad47fb4e25c7bf5f92a20089f9db59bc302313",
                 c.sign_request(public_id: "sample_image", timestamp: "1315060510")
  end

  def test_errors_are_typed_and_bad_values_are_type_errors
    c = Cldkit::Client.from_url("cloudinary://k:s@demo")
    err = assert_raises(Cldkit::CldkitError::InvalidOptionError) { c.call_local("no_such_call") }
    assert_equal "invalid_option", err.code
    assert_raises(TypeError) { c.url("x", width: Object.new) }
    assert_raises(Cldkit::CldkitError::ConfigError) { Cldkit::Client.from_url("not a url") }
    kinds = Cldkit.error_kinds.map(&:class_name)
    kinds.each { |k| assert Cldkit::CldkitError.const_defined?(k), k }
  end

  def test_catalogue_is_exposed
    names = Cldkit.calls.map(&:name)
    assert_includes names, "url"
    assert_includes names, "resources_by_tag"
    assert Cldkit.calls.find { |c| c.name == "upload" }.network
  end
end
