import Testing
@testable import Magics

@Suite struct ParameterCellTests {
    @Test func readsPapermillsParameters() {
        let cell = "# Parameters\nday = \"2025-05-01\"\nn = 10\nrate = 0.5\nfull = True\nskip = False\nnothing = None\nxs = [1]\n"
        #expect(ParameterCell.parse(cell) == ["day": "2025-05-01", "n": "10", "rate": "0.5", "full": "true",
                                              "skip": "false", "nothing": ""])
        #expect(ParameterCell.parse("x = 1\n# Parameters\n") == nil)
    }

    /// Found by Fuzz/Sources/parameters: papermill writes strings through Python's `unicode_escape`
    /// codec, so `-p city Zürich` arrives as `city = "Z\xfcrich"`; only \n and \t were understood
    /// and the rest lost their backslash ("Zxfcrich").
    @Test(arguments: [
        (#""Z\xfcrich""#, "Zürich"), (#""\u4e2d""#, "中"), (#""\U0001f600""#, "😀"), (#""a\rb""#, "a\rb"),
        (#""say \"hi\"\n""#, "say \"hi\"\n"), (#""back\\slash""#, "back\\slash"), (#"'it\'s'"#, "it's"),
        (#""\x7f\x01\t""#, "\u{7f}\u{1}\t"), (#""\101\0""#, "A\u{0}"),
        (#""C:\data""#, "C:\\data"), (#""\xZZ \u12""#, "\\xZZ \\u12"), (#""\x+1""#, "\\x+1"),
    ])
    func decodesPythonEscapes(literal: String, value: String) {
        #expect(ParameterCell.parse("# Parameters\nv = " + literal + "\n")?["v"] == value)
    }
}
