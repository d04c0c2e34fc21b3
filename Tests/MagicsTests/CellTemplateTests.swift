import Testing
@testable import Magics

@Suite struct CellTemplateTests {
    let vars = ["day": "2024-01-31", "name": "O'Brien", "n": "5", "path": "a\\b"]

    @Test func sqlReplacesEveryReference() throws {
        #expect(try CellTemplate.render("SELECT * FROM t WHERE day = '{{ day }}' LIMIT {{n}}", variables: vars, mode: .sql)
                == "SELECT * FROM t WHERE day = '2024-01-31' LIMIT 5")
    }

    @Test func sqlLiteralsAreQuotedSafely() throws {
        #expect(try CellTemplate.render("WHERE name = {{ name.sql }} AND p = {{path.sql}}", variables: vars, mode: .sql)
                == "WHERE name = 'O\\'Brien' AND p = 'a\\\\b'")
        #expect(SQLLiteral.quote("x'; DROP TABLE t; --") == "'x\\'; DROP TABLE t; --'")
    }

    @Test func valuesAreNotHTMLEscaped() throws {
        #expect(try CellTemplate.render("{{ v }}", variables: ["v": "<a & \"b\">"], mode: .sql) == "<a & \"b\">")
    }

    @Test func undefinedSQLVariablesAreErrorsNamingThem() {
        #expect(throws: TemplateError.undefinedVariable(name: "dya", line: 2, defined: ["day", "n", "name", "path"])) {
            try CellTemplate.render("SELECT 1\nWHERE d = {{ dya }}", variables: vars, mode: .sql)
        }
        #expect(throws: TemplateError.undefinedVariable(name: "x", line: 1, defined: [])) {
            try CellTemplate.render("{{x}}", variables: [:], mode: .sql)
        }
    }

    @Test func malformedSQLTagsAreErrors() {
        #expect(throws: TemplateError.invalidTag("#section", line: 1)) { try CellTemplate.render("{{#section}}", variables: vars, mode: .sql) }
        #expect(throws: TemplateError.unclosedTag(line: 1)) { try CellTemplate.render("SELECT {{ day", variables: vars, mode: .sql) }
    }

    @Test func codeKeepsBracesThatAreNotVariables() throws {
        let code = #"print(f"{{literal}} {x}", {{1, 2}}, '{{ day }}', "{{#x}}")"#
        #expect(try CellTemplate.render(code, variables: vars, mode: .code)
                == #"print(f"{{literal}} {x}", {{1, 2}}, '2024-01-31', "{{#x}}")"#)
        #expect(try CellTemplate.render("d = {'a': {'b': 1}}", variables: vars, mode: .code) == "d = {'a': {'b': 1}}")
        #expect(try CellTemplate.render("x = '{{ undefined }}'", variables: vars, mode: .code) == "x = '{{ undefined }}'")
        #expect(try CellTemplate.render("s = '{{'", variables: vars, mode: .code) == "s = '{{'")
    }

    @Test func mustacheSyntaxInCodeStaysText() throws {
        // Mustache's own tags must not act inside code (delimiters are swapped before rendering).
        #expect(try CellTemplate.render("{{=<% %>=}} {{ day }} <% day %>", variables: vars, mode: .code)
                == "{{=<% %>=}} 2024-01-31 <% day %>")
    }

    /// Found by Fuzz/Sources/template: mustache dropped a blank first line (with its line break)
    /// as the rest of the delimiter-changing tag's line, so later lines moved up by one.
    @Test func blankFirstLinesAreKept() throws {
        #expect(try CellTemplate.render("\n{{ day }}\n", variables: vars, mode: .sql) == "\n2024-01-31\n")
        #expect(try CellTemplate.render("  \t\nSELECT {{n}}", variables: vars, mode: .sql) == "  \t\nSELECT 5")
        #expect(try CellTemplate.render("\r\n{{ x }}", variables: [:], mode: .code) == "\r\n{{ x }}")
    }

    /// Found by Fuzz/Sources/template: mustache dropped a last line of only spaces or tabs.
    @Test func trailingBlanksAreKept() throws {
        #expect(try CellTemplate.render("SELECT {{n}}\n  ", variables: vars, mode: .sql) == "SELECT 5\n  ")
        #expect(try CellTemplate.render("{{ x }}\n\t", variables: [:], mode: .code) == "{{ x }}\n\t")
    }

    @Test func reservedDelimitersAreRefused() {
        #expect(throws: TemplateError.reservedCharacters) { try CellTemplate.render("⟦ {{ day }}", variables: vars, mode: .code) }
    }

    @Test func textWithoutTemplatesIsUntouched() throws {
        #expect(try CellTemplate.render("SELECT '⟦'", variables: [:], mode: .sql) == "SELECT '⟦'")
    }

    @Test func referencedNames() {
        #expect(CellTemplate.referencedNames(in: "{{ a }} {{b.sql}} {{ 1x }} {{c}}") == ["a", "b", "c"])
    }
}
