import MicsVocabulary

/// Keys: the likely next key checked first, a lookup in the path trie (discovering keys for
/// drift and inference) when it is not that one, and last-key-wins mode's read-ahead.
extension JSONLineScanner {
    /// Last-key-wins mode: notes where each selected key of the object at `i` last occurs,
    /// reading ahead to the object's end (the walk that follows reads it for real).
    mutating func findLastKeys(of node: Int32, depth: Int) throws(ScanError) {
        let start = i
        defer { i = start }
        i += 1
        skipWhitespace()
        guard byte != UInt8(ascii: "}") else { return }
        while byte == UInt8(ascii: "\"") {
            let keyOffset = i
            let escaped = try string()
            let raw = UnsafeRawBufferPointer(start: p + keyOffset + 1, count: i - keyOffset - 2)
            var child: Int32?
            if escaped {
                var decoded: [UInt8] = []
                JSONUnescape.append(raw, to: &decoded)
                child = decoded.withUnsafeBytes { trie.child(of: node, key: $0) }
            } else {
                child = trie.child(of: node, key: raw)
            }
            if let child, trie[child].selected { lastKeyOffset[Int(child)] = keyOffset }
            skipWhitespace()
            guard byte == UInt8(ascii: ":") else { return }  // the walk reports it
            i += 1
            skipWhitespace()
            try skipValue(depth: depth + 1)
            skipWhitespace()
            guard byte == UInt8(ascii: ",") else { return }
            i += 1
            skipWhitespace()
        }
    }

    /// Whether `node` (the likely next key, `PathTrie.expectedKey`) has the unescaped key at
    /// `start..<end`: then no lookup is needed. An expected node was found by a lookup once, so
    /// it is already marked seen.
    ///
    /// `@_transparent`: inlined for certain (`object` is past the size where the optimizer
    /// still inlines `@inline(__always)` functions; as a call this check costs 3 times more).
    @_transparent
    func isExpectedKey(_ node: Int32, from start: Int, to end: Int) -> Bool {
        guard node >= 0 else { return false }
        let raw = UnsafeRawBufferPointer(start: p + start, count: end - start)
        return trie.hasKey(node, key: raw, prefix: keyPrefix(raw, at: start))
    }

    /// The child node for a key, discovering it (drift, inference) when new; -1 if none. Learns
    /// that it follows `previous` (`PathTrie.expect`).
    mutating func lookup(under node: Int32, after previous: Int32, keyStart: Int, keyEnd: Int,
                                 escaped: Bool) -> Int32 {
        let raw = UnsafeRawBufferPointer(start: p + keyStart, count: keyEnd - keyStart)
        let child: Int32
        if !escaped {
            child = lookup(under: node, key: raw, prefix: keyPrefix(raw, at: keyStart))
        } else {
            // Rare: a key with escapes is compared by its decoded bytes.
            var decoded: [UInt8] = []
            JSONUnescape.append(raw, to: &decoded)
            child = decoded.withUnsafeBytes { lookup(under: node, key: $0, prefix: PathTrie.prefix($0)) }
        }
        if child >= 0 { trie.expect(child, after: previous, in: node) }
        return child
    }

    /// `PathTrie.prefix` of a key in the line: one load when eight bytes can be read (the
    /// line goes on after a key), not a byte loop.
    @_transparent
    func keyPrefix(_ key: UnsafeRawBufferPointer, at start: Int) -> UInt64 {
        guard end - start >= 8 else { return PathTrie.prefix(key) }
        let word = UnsafeRawPointer(p + start).loadUnaligned(as: UInt64.self)
        return key.count >= 8 ? word : word & ((1 << UInt64(key.count * 8)) &- 1)
    }

    @inline(__always)
    private mutating func lookup(under node: Int32, key: UnsafeRawBufferPointer, prefix: UInt64) -> Int32 {
        if let found = trie.child(of: node, key: key, prefix: prefix) {
            trie.markSeen(found)
            return found
        }
        // Keys inside a leaf's object are part of its value, not drift.
        guard trie.discoverAll || (trackDrift && trie[node].column < 0),
            let added = trie.discover(under: node, key: key)
        else { return -1 }
        trie.markSeen(added)
        return added
    }
}
