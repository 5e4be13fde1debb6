// Tests of the Swift binding (not run here: this machine has no Swift toolchain; see
// ../../README.md for how to run them with `swift test`).
import XCTest
@testable import Cldkit

final class CldkitTests: XCTestCase {
    func testUrlKeepsIntegersAndFloatsApart() throws {
        let client = try Client.fromUrl(cloudinaryUrl: "cloudinary://k:s@demo?analytics=false", profile: nil)
        let opts = [
            Entry(key: "width", value: .int(v: 300)),
            Entry(key: "height", value: .int(v: 200)),
            Entry(key: "crop", value: .str(v: "fill")),
        ]
        XCTAssertEqual(try client.url(source: "sample.jpg", options: opts),
                       "https://res.cloudinary.com/demo/image/upload/c_fill,h_200,w_300/sample.jpg")
        XCTAssertEqual(try client.url(source: "sample.jpg", options: [Entry(key: "width", value: .float(v: 2.0))]),
                       "https://res.cloudinary.com/demo/image/upload/w_2.0/sample.jpg")
    }

    func testUnknownCallIsAnInvalidOptionError() throws {
        let client = try Client.fromUrl(cloudinaryUrl: "cloudinary://k:s@demo", profile: nil)
        XCTAssertThrowsError(try client.callLocal(name: "no_such_call", args: [], options: [])) { error in
            guard case CldkitError.InvalidOptionError(let info) = error else {
                return XCTFail("unexpected \(error)")
            }
            XCTAssertEqual(info.code, "invalid_option")
        }
    }

    func testUploadAndListAgainstTheEmulator() async throws {
        // CLOUDINARY_URL of a running `cldkit-emulator --port 0` (skipped without one).
        guard let url = ProcessInfo.processInfo.environment["CLDKIT_EMULATOR_URL"] else {
            throw XCTSkip("set CLDKIT_EMULATOR_URL to a running cldkit-emulator's CLOUDINARY_URL")
        }
        let client = try Client.fromUrl(cloudinaryUrl: url, profile: nil)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pixel.gif")
        try Data(base64Encoded: "R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==")!.write(to: file)
        _ = try await client.call(name: "upload",
                                  args: [Entry(key: "file", value: .str(v: file.path))],
                                  options: [Entry(key: "public_id", value: .str(v: "swift/pixel")),
                                            Entry(key: "tags", value: .seq(items: [.str(v: "uniffi-swift")]))])
        let listed = try await client.call(name: "resources_by_tag",
                                           args: [Entry(key: "tag", value: .str(v: "uniffi-swift"))], options: [])
        guard case .dict(let entries) = listed,
              case .seq(let resources)? = entries.first(where: { $0.key == "resources" })?.value else {
            return XCTFail("unexpected answer \(listed)")
        }
        XCTAssertEqual(resources.count, 1)
    }
}
