namespace Dwarfsmith.TestSupport;

/// <summary>The kinds of damage <see cref="ByteMutator"/> does to an input.</summary>
public enum MutationKind
{
    BitFlip,
    Truncate,
    LebCorruption,
    ByteOverwrite,
    Splice,
}

/// <summary>
/// Deterministic mutations of a valid input for fuzz smoke tests: bit flips, truncations, damaged
/// LEB128s (made longer, overlong, or high bits set), overwritten bytes and spliced copies. A seed
/// reproduces a case exactly.
/// </summary>
public static class ByteMutator
{
    public static (byte[] Bytes, MutationKind Kind, string Description) Mutate(ReadOnlySpan<byte> input, int seed)
    {
        var random = new Random(seed);
        var kind = (MutationKind)random.Next(Enum.GetValues<MutationKind>().Length);
        var bytes = input.ToArray();
        // Most damage lands after the 8-byte header, where the interesting structure is.
        int Position() => bytes.Length <= 8 ? random.Next(bytes.Length) : 8 + random.Next(bytes.Length - 8);
        switch (kind)
        {
            case MutationKind.BitFlip:
            {
                var flips = 1 + random.Next(4);
                var positions = new List<int>();
                for (var i = 0; i < flips; i++)
                {
                    var at = Position();
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    positions.Add(at);
                }
                return (bytes, kind, $"bit flips at {string.Join(", ", positions.Select(p => $"0x{p:X}"))}");
            }
            case MutationKind.Truncate:
            {
                var length = random.Next(bytes.Length);
                return (bytes[..length], kind, $"truncated to {length} bytes");
            }
            case MutationKind.LebCorruption:
            {
                // Find a byte with the continuation bit (inside a LEB, usually) and damage that LEB.
                var at = Position();
                for (var i = 0; i < bytes.Length && (bytes[at] & 0x80) == 0; i++)
                    at = (at + 1) % bytes.Length;
                var how = random.Next(3);
                if (how == 0)
                {
                    bytes[at] = 0xFF;
                    return (bytes, kind, $"LEB byte at 0x{at:X} set to 0xFF");
                }
                if (how == 1)
                {
                    // Overlong: insert continuation bytes.
                    var extra = 1 + random.Next(6);
                    var longer = new byte[bytes.Length + extra];
                    bytes.AsSpan(0, at + 1).CopyTo(longer);
                    for (var i = 0; i < extra; i++)
                        longer[at + 1 + i] = 0x80;
                    bytes.AsSpan(at + 1).CopyTo(longer.AsSpan(at + 1 + extra));
                    return (longer, kind, $"{extra} continuation bytes inserted at 0x{at + 1:X}");
                }
                bytes[at] = (byte)(0x80 | random.Next(0x80));
                var next = Math.Min(bytes.Length - 1, at + 1);
                bytes[next] = (byte)random.Next(0x100);
                return (bytes, kind, $"LEB at 0x{at:X} rewritten");
            }
            case MutationKind.ByteOverwrite:
            {
                var count = 1 + random.Next(8);
                var at = Position();
                for (var i = 0; i < count && at + i < bytes.Length; i++)
                    bytes[at + i] = (byte)random.Next(0x100);
                return (bytes, kind, $"{count} bytes overwritten at 0x{at:X}");
            }
            default:
            {
                // Copy a run of the input over another place: structure-shaped garbage.
                var from = Position();
                var to = Position();
                var count = Math.Min(1 + random.Next(64), Math.Min(bytes.Length - from, bytes.Length - to));
                input.Slice(from, count).CopyTo(bytes.AsSpan(to));
                return (bytes, kind, $"{count} bytes from 0x{from:X} copied to 0x{to:X}");
            }
        }
    }
}
