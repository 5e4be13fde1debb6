# frozen_string_literal: true

# cldkit for Ruby: Cloudinary URLs, tags, signatures, uploads and the Admin API from
# the cldkit engine, through the uniffi-generated module (lib/cldkit/cldkit_uniffi.rb)
# and the shared library libcldkit_uniffi.so.
#
#   require "cldkit"
#   client = Cldkit::Client.from_url("cloudinary://key:secret@demo")
#   client.url("sample.jpg", width: 300, height: 200, crop: "fill")
#   # => "http://res.cloudinary.com/demo/image/upload/c_fill,h_200,w_300/sample.jpg"
#
# Options are Ruby hashes (symbol or string keys, in order); integers and floats stay
# apart (`2` renders `2`, `2.0` renders `2.0`). Errors are subclasses of
# StandardError under Cldkit::CldkitError (InvalidOptionError, NotFoundError, ...),
# each with #code, #detail, #option, #status and #request_id.
module Cldkit
  # Where the shared library is: $CLDKIT_UNIFFI_LIB, else a copy shipped in the gem
  # (lib/cldkit/libcldkit_uniffi.so), else the name for the system's library path.
  def self.library_path
    explicit = ENV["CLDKIT_UNIFFI_LIB"]
    return explicit if explicit && !explicit.empty?

    %w[so dylib dll].each do |ext|
      bundled = File.join(__dir__, "cldkit", "libcldkit_uniffi.#{ext}")
      return bundled if File.exist?(bundled)
    end
    "cldkit_uniffi"
  end
end

# The generated async support calls IO#wait_readable, a method of io/wait before Ruby 3.2.
require "io/wait"
require_relative "cldkit/cldkit_uniffi"

module Cldkit
  # The engine value of a Ruby object: nil, true/false, Integer, Float, String or
  # Symbol, Array, Hash (another Value or an Array of Entry passes through).
  def self.value(obj)
    case obj
    when Value then obj
    when nil then Value::NULL.new
    when true, false then Value::BOOL.new(v: obj)
    when Integer then Value::INT.new(v: obj)
    when Float then Value::FLOAT.new(v: obj)
    when String then Value::STR.new(v: obj)
    when Symbol then Value::STR.new(v: obj.to_s)
    when Array then Value::SEQ.new(items: obj.map { |i| value(i) })
    when Hash then Value::DICT.new(entries: entries(obj))
    else
      raise TypeError, "cldkit cannot take a #{obj.class} as an option value"
    end
  end

  # The entries of an option Hash (keys in order; an Array of Entry passes through).
  def self.entries(hash)
    return [] if hash.nil?
    return hash if hash.is_a?(Array) && hash.all? { |e| e.is_a?(Entry) }
    raise TypeError, "cldkit options must be a Hash, not #{hash.class}" unless hash.is_a?(Hash)

    hash.map { |k, v| Entry.new(key: k.to_s, value: value(v)) }
  end

  # The Ruby object of an engine value (maps become Hashes with String keys).
  def self.ruby(val)
    case val
    when Value::NULL then nil
    when Value::BOOL, Value::INT, Value::FLOAT, Value::STR then val.v
    when Value::SEQ then val.items.map { |i| ruby(i) }
    when Value::DICT then hash(val.entries)
    else val
    end
  end

  # The Hash of engine entries.
  def self.hash(entries)
    entries.each_with_object({}) { |e, h| h[e.key] = ruby(e.value) }
  end

  # Ruby hashes for the generated Client's option lists, Ruby objects for its answers.
  module HashOptions
    def url(source, options = {})
      super(source, Cldkit.entries(options))
    end

    def image_tag(public_id, options = {})
      super(public_id, Cldkit.entries(options))
    end

    def sign_request(params)
      super(Cldkit.entries(params))
    end

    def upload_form(method, args = {}, options = {})
      super(method, Cldkit.entries(args), Cldkit.entries(options))
    end

    # Runs a local call of the catalogue (Cldkit.calls): `call_local("url",
    # { source: "sample.jpg" }, { width: 100 })`.
    def call_local(name, args = {}, options = {})
      Cldkit.ruby(super(name, Cldkit.entries(args), Cldkit.entries(options)))
    end

    # Runs any call of the catalogue, waiting for a network call's answer (a Hash).
    def call_blocking(name, args = {}, options = {})
      Cldkit.ruby(super(name, Cldkit.entries(args), Cldkit.entries(options)))
    end

    # The async call: polls the engine's future, yielding to a Fiber scheduler when
    # one runs (else waiting like call_blocking).
    def call(name, args = {}, options = {})
      Cldkit.ruby(super(name, Cldkit.entries(args), Cldkit.entries(options)))
    end
  end
  Client.prepend(HashOptions)

  # Hash settings for Client.from_config.
  module HashConfig
    def from_config(settings, profile = nil)
      super(Cldkit.entries(settings), profile)
    end
  end
  Client.singleton_class.prepend(HashConfig)

  # The fields of every error variant, read directly.
  module ErrorFields
    # The stable code (`invalid_option`, `not_found`, ...).
    def code = info.code
    # The message (never a secret).
    def detail = info.detail
    # The option the error is about, if any.
    def option = info.option
    # The HTTP status of an API error.
    def status = info.status
    # The request id of an API error.
    def request_id = info.request_id

    # "code: message", as the other bindings print errors.
    def message = "#{info.code}: #{info.detail}"
    alias to_s message
  end
  CldkitError.constants.each do |name|
    klass = CldkitError.const_get(name)
    klass.prepend(ErrorFields) if klass.is_a?(Class) && klass < StandardError
  end

  class << self
    # Settings of a CLOUDINARY_URL as a Hash (see parse_cloudinary_url).
    def parse_cloudinary_url_hash(url, profile = nil)
      hash(parse_cloudinary_url(url, profile))
    end

    # Settings of a CLOUDINARY_ACCOUNT_URL as a Hash.
    def parse_account_url_hash(url, profile = nil)
      hash(parse_account_url(url, profile))
    end
  end
end
