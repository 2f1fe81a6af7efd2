using System.Buffers.Binary;
using System.Text;

namespace Dwarfsmith.Elf;

/// <summary>One section header and its bytes.</summary>
public sealed class ElfSection
{
    public const uint ShtNobits = 8;
    public const ulong ShfCompressed = 0x800;

    public int Index { get; init; }

    public string Name { get; init; } = "";

    public uint Type { get; init; }

    public ulong Flags { get; init; }

    public ulong Address { get; init; }

    /// <summary>File offset of the section's bytes.</summary>
    public ulong Offset { get; init; }

    public ulong Size { get; init; }

    public uint Link { get; init; }

    public uint Info { get; init; }

    public ulong Alignment { get; init; }

    public ulong EntrySize { get; init; }

    /// <summary>The section's bytes (empty for SHT_NOBITS).</summary>
    public ReadOnlyMemory<byte> Data { get; init; }

    /// <summary>SHF_COMPRESSED, or a GNU .zdebug_* section.</summary>
    public bool IsCompressed => (Flags & ShfCompressed) != 0 || Name.StartsWith(".zdebug", StringComparison.Ordinal);

    public override string ToString() => $"[{Index}] {Name} at 0x{Offset:X} ({Size} bytes)";
}

/// <summary>A minimal little-endian ELF32/ELF64 reader: header and sections by name.</summary>
public sealed class ElfFile
{
    public const ushort EtRel = 1;
    public const ushort EtExec = 2;
    public const ushort EtDyn = 3;

    private ElfFile(ReadOnlyMemory<byte> bytes) => Bytes = bytes;

    public ReadOnlyMemory<byte> Bytes { get; }

    public bool Is64 { get; private init; }

    /// <summary>4 for ELF32, 8 for ELF64.</summary>
    public int AddressSize => Is64 ? 8 : 4;

    /// <summary>e_type: ET_REL, ET_EXEC, ET_DYN …</summary>
    public ushort Type { get; private init; }

    public ushort Machine { get; private init; }

    public IReadOnlyList<ElfSection> Sections { get; private init; } = [];

    public ElfSection? FindSection(string name) => Sections.FirstOrDefault(s => s.Name == name);

    public static ElfFile Read(ReadOnlyMemory<byte> bytes)
    {
        var data = bytes.Span;
        if (data.Length < 16 || data[0] != 0x7F || data[1] != (byte)'E' || data[2] != (byte)'L' || data[3] != (byte)'F')
            throw new ElfFormatException("not an ELF file (bad magic)", "ELF header", 0);
        var elfClass = data[4];
        if (elfClass is not (1 or 2))
            throw new ElfFormatException($"unknown ELF class {elfClass}", "ELF header", 4);
        if (data[5] != 1)
            throw new ElfFormatException(data[5] == 2 ? "big-endian ELF is not supported" : $"unknown ELF data encoding {data[5]}", "ELF header", 5);
        var is64 = elfClass == 2;
        var headerSize = is64 ? 64 : 52;
        if (data.Length < headerSize)
            throw new ElfFormatException("truncated ELF header", "ELF header", data.Length);
        var type = U16(data, 16);
        var machine = U16(data, 18);
        var shoff = is64 ? U64(data, 40) : U32(data, 32);
        var shentsize = U16(data, is64 ? 58 : 46);
        ulong shnum = U16(data, is64 ? 60 : 48);
        ulong shstrndx = U16(data, is64 ? 62 : 50);
        var sections = new List<ElfSection>();
        if (shoff == 0)
            return new ElfFile(bytes) { Is64 = is64, Type = type, Machine = machine, Sections = sections };
        var minEntry = is64 ? 64 : 40;
        if (shentsize < minEntry)
            throw new ElfFormatException($"section header size {shentsize} is too small", "ELF header", is64 ? 58 : 46);
        if (shoff > (ulong)data.Length || (ulong)data.Length - shoff < (ulong)shentsize)
            throw new ElfFormatException($"section header table offset 0x{shoff:X} is outside the file", "ELF header", is64 ? 40 : 32);
        var first = ReadHeader(data, (int)shoff, is64);
        if (shnum == 0)
            shnum = first.Size;
        if (shstrndx == 0xFFFF)
            shstrndx = first.Link;
        if (shnum > ((ulong)data.Length - shoff) / shentsize)
            throw new ElfFormatException($"{shnum} section headers do not fit the file", "section header table", (long)shoff);
        var raw = new List<RawHeader>();
        for (ulong i = 0; i < shnum; i++)
            raw.Add(ReadHeader(data, (int)(shoff + (i * shentsize)), is64));
        if (shstrndx >= shnum)
            throw new ElfFormatException($"section name table index {shstrndx} is out of range", "ELF header", is64 ? 62 : 50);
        var strtab = raw[(int)shstrndx];
        var names = SectionBytes(data, strtab, "section name table");
        for (var i = 0; i < raw.Count; i++)
        {
            var h = raw[i];
            var name = NameAt(names, h.Name, strtab.Offset);
            var content = h.Type == ElfSection.ShtNobits || i == 0 ? ReadOnlyMemory<byte>.Empty : SliceOf(bytes, h, name);
            sections.Add(new ElfSection
            {
                Index = i,
                Name = name,
                Type = h.Type,
                Flags = h.Flags,
                Address = h.Address,
                Offset = h.Offset,
                Size = h.Size,
                Link = h.Link,
                Info = h.Info,
                Alignment = h.Align,
                EntrySize = h.EntSize,
                Data = content,
            });
        }

        return new ElfFile(bytes) { Is64 = is64, Type = type, Machine = machine, Sections = sections };
    }

    private static ReadOnlyMemory<byte> SliceOf(ReadOnlyMemory<byte> bytes, RawHeader h, string name)
    {
        if (h.Offset > (ulong)bytes.Length || (ulong)bytes.Length - h.Offset < h.Size)
            throw new ElfFormatException($"section bytes [0x{h.Offset:X}, +0x{h.Size:X}) are outside the file", name, (long)Math.Min(h.Offset, long.MaxValue));
        return bytes.Slice((int)h.Offset, (int)h.Size);
    }

    private static ReadOnlySpan<byte> SectionBytes(ReadOnlySpan<byte> data, RawHeader h, string name)
    {
        if (h.Offset > (ulong)data.Length || (ulong)data.Length - h.Offset < h.Size)
            throw new ElfFormatException($"section bytes [0x{h.Offset:X}, +0x{h.Size:X}) are outside the file", name, (long)Math.Min(h.Offset, long.MaxValue));
        return data.Slice((int)h.Offset, (int)h.Size);
    }

    private static string NameAt(ReadOnlySpan<byte> names, uint offset, ulong tableOffset)
    {
        if (offset >= names.Length)
            throw new ElfFormatException($"section name offset 0x{offset:X} is outside the name table", "section name table", (long)tableOffset + offset);
        var rest = names[(int)offset..];
        var end = rest.IndexOf((byte)0);
        if (end < 0)
            throw new ElfFormatException("unterminated section name", "section name table", (long)tableOffset + offset);
        return Encoding.UTF8.GetString(rest[..end]);
    }

    private static RawHeader ReadHeader(ReadOnlySpan<byte> d, int at, bool is64) => is64
        ? new RawHeader(U32(d, at), U32(d, at + 4), U64(d, at + 8), U64(d, at + 16), U64(d, at + 24), U64(d, at + 32), U32(d, at + 40), U32(d, at + 44), U64(d, at + 48), U64(d, at + 56))
        : new RawHeader(U32(d, at), U32(d, at + 4), U32(d, at + 8), U32(d, at + 12), U32(d, at + 16), U32(d, at + 20), U32(d, at + 24), U32(d, at + 28), U32(d, at + 32), U32(d, at + 36));

    private static ushort U16(ReadOnlySpan<byte> d, int at) => BinaryPrimitives.ReadUInt16LittleEndian(d[at..]);

    private static uint U32(ReadOnlySpan<byte> d, int at) => BinaryPrimitives.ReadUInt32LittleEndian(d[at..]);

    private static ulong U64(ReadOnlySpan<byte> d, int at) => BinaryPrimitives.ReadUInt64LittleEndian(d[at..]);

    private readonly record struct RawHeader(uint Name, uint Type, ulong Flags, ulong Address, ulong Offset, ulong Size, uint Link, uint Info, ulong Align, ulong EntSize);
}
