import MicsVocabulary
import MicsDecode
import MicsProject
import Foundation

/// The names of a parted output: `-o out/users.csv.gz` gives `out/users-00001.csv.gz`,
/// `out/users-00002.csv.gz`, … and `out/users.manifest.json`.
///
/// NAME is the path without its extensions: `.gz` and the one before it (`users.v2.csv.gz`
/// → `users.v2` + `.csv.gz`); a dot in a folder name is not an extension.
package struct PartNames: Sendable {
    package let stem: String
    package let extensions: String
    /// Without a size or row limit there is one file, under the name as given.
    package let single: String?

    package init(path: String, parted: Bool) {
        let folderEnd = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        var name = String(path[folderEnd...])
        var extensions = ""
        func takeExtension() {
            guard let dot = name.lastIndex(of: "."), dot > name.startIndex else { return }
            extensions = String(name[dot...]) + extensions
            name = String(name[..<dot])
        }
        if name.lowercased().hasSuffix(".gz") { takeExtension() }
        takeExtension()
        stem = String(path[..<folderEnd]) + name
        self.extensions = extensions
        single = parted ? nil : path
    }

    /// Part `index` (from 1): five digits, more past 99,999 parts.
    package func part(_ index: Int) -> String {
        if let single { return single }
        let digits = String(index)
        return stem + "-" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits + extensions
    }

    package var manifest: String { stem + ".manifest.json" }

    /// The part number a file name in the same folder has, if it is named as a part.
    package func index(ofFileName name: String) -> Int? {
        let prefix = PartNames.fileName(stem) + "-"
        guard single == nil, name.hasPrefix(prefix), name.hasSuffix(extensions) else { return nil }
        let digits = name.dropFirst(prefix.count).dropLast(extensions.count)
        guard digits.count >= 5, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }

    /// The parts an earlier run left beyond `count`: a glob (`users-*.csv.gz`) or a
    /// prefix load would mix them with this run's, so they go when this run commits.
    package func staleParts(beyond count: Int) -> [String] {
        let folderEnd = stem.lastIndex(of: "/").map { stem.index(after: $0) } ?? stem.startIndex
        let folder = String(stem[..<folderEnd])
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? []
        return names.filter { (index(ofFileName: $0) ?? 0) > count }.sorted().map { folder + $0 }
    }

    /// The name a manifest entry gives: the file name, as the manifest sits beside its parts.
    package static func fileName(_ path: String) -> String {
        path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    }
}
