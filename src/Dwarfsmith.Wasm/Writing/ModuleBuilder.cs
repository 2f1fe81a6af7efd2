namespace Dwarfsmith.Wasm.Writing;

/// <summary>
/// One section of a module being written: either an original section, copied byte for byte, or
/// new content that is encoded with a minimal size LEB.
/// </summary>
public sealed class SectionEntry
{
    private SectionEntry(SectionId id, string? name, Section? original, ReadOnlyMemory<byte> content)
    {
        Id = id;
        Name = name;
        Original = original;
        Content = content;
    }

    public SectionId Id { get; }

    public string? Name { get; }

    /// <summary>The section read from the input, when it is kept unchanged.</summary>
    public Section? Original { get; }

    /// <summary>The content (a custom section's bytes after its name, or a standard section's payload).</summary>
    public ReadOnlyMemory<byte> Content { get; }

    public bool IsCustom => Id == SectionId.Custom;

    public static SectionEntry Unchanged(Section section) => new(section.Id, section.Name, section, section.Content);

    public static SectionEntry Standard(SectionId id, ReadOnlyMemory<byte> payload) =>
        id == SectionId.Custom ? throw new ArgumentException("use Custom for custom sections", nameof(id)) : new(id, null, null, payload);

    public static SectionEntry Custom(string name, ReadOnlyMemory<byte> content) => new(SectionId.Custom, name, null, content);

    /// <summary>Size of the encoded section: id, size LEB and payload.</summary>
    public long EncodedSize
    {
        get
        {
            if (Original is not null)
                return Original.RawBytes.Length;
            var payload = PayloadSize;
            return 1 + WasmWriter.SizeOfVarUInt((ulong)payload) + payload;
        }
    }

    private long PayloadSize => IsCustom
        ? WasmWriter.SizeOfVarUInt((ulong)System.Text.Encoding.UTF8.GetByteCount(Name!)) + System.Text.Encoding.UTF8.GetByteCount(Name!) + Content.Length
        : Content.Length;

    internal void WriteTo(WasmWriter writer)
    {
        if (Original is not null)
        {
            writer.WriteBytes(Original.RawBytes.Span);
            return;
        }
        WriteHeader(writer);
        writer.WriteBytes(Content.Span);
    }

    /// <summary>Writes the section to <paramref name="stream"/>; <paramref name="scratch"/> holds its header on the way.</summary>
    internal void WriteTo(Stream stream, WasmWriter scratch)
    {
        if (Original is not null)
        {
            stream.Write(Original.RawBytes.Span);
            return;
        }
        scratch.Clear();
        WriteHeader(scratch);
        stream.Write(scratch.WrittenSpan);
        stream.Write(Content.Span);
    }

    private void WriteHeader(WasmWriter writer)
    {
        writer.WriteByte((byte)Id);
        writer.WriteVarUInt64((ulong)PayloadSize);
        if (IsCustom)
            writer.WriteName(Name!);
    }
}

/// <summary>
/// Assembles a module from sections. Starting from a read module, an unchanged module writes back
/// byte for byte; sections can be replaced, removed and added, and only those are re-encoded.
/// </summary>
public sealed class ModuleBuilder
{
    private readonly List<SectionEntry> _sections = [];

    public ModuleBuilder()
    {
    }

    public ModuleBuilder(WasmModule module)
    {
        Version = module.Version;
        foreach (var section in module.Sections)
            _sections.Add(SectionEntry.Unchanged(section));
    }

    public uint Version { get; set; } = 1;

    public IReadOnlyList<SectionEntry> Sections => _sections;

    public int IndexOf(SectionId id) => _sections.FindIndex(s => s.Id == id && id != SectionId.Custom);

    public int IndexOfCustom(string name) => _sections.FindIndex(s => s.IsCustom && s.Name == name);

    /// <summary>Replaces the standard section with that id, or inserts it at its place in the section order.</summary>
    public void SetStandard(SectionId id, ReadOnlyMemory<byte> payload)
    {
        var entry = SectionEntry.Standard(id, payload);
        var index = IndexOf(id);
        if (index >= 0)
        {
            _sections[index] = entry;
            return;
        }
        var order = SectionIds.OrderOf(id);
        var insertAt = _sections.FindIndex(s => !s.IsCustom && SectionIds.OrderOf(s.Id) > order);
        _sections.Insert(insertAt < 0 ? _sections.Count : insertAt, entry);
    }

    /// <summary>Replaces the first custom section with that name in place, or appends one.</summary>
    public void SetCustom(string name, ReadOnlyMemory<byte> content)
    {
        var entry = SectionEntry.Custom(name, content);
        var index = IndexOfCustom(name);
        if (index >= 0)
            _sections[index] = entry;
        else
            _sections.Add(entry);
    }

    public void Insert(int index, SectionEntry entry) => _sections.Insert(index, entry);

    public void Add(SectionEntry entry) => _sections.Add(entry);

    public void RemoveAt(int index) => _sections.RemoveAt(index);

    /// <summary>Removes every section that matches; returns how many.</summary>
    public int RemoveAll(Predicate<SectionEntry> match) => _sections.RemoveAll(match);

    public int RemoveCustom(string name) => RemoveAll(s => s.IsCustom && s.Name == name);

    public long EncodedSize
    {
        get
        {
            long size = 8;
            foreach (var section in _sections)
                size += section.EncodedSize; // not Linq's Sum, as in WasmModule.DebugSize
            return size;
        }
    }

    public byte[] ToArray()
    {
        var writer = new WasmWriter((int)Math.Min(int.MaxValue, EncodedSize));
        writer.WriteFixedUInt32(WasmModule.Magic);
        writer.WriteFixedUInt32(Version);
        foreach (var section in _sections)
            section.WriteTo(writer);
        return writer.DetachWritten(); // sized exactly: no second copy of the module
    }

    /// <summary>Writes the module to <paramref name="stream"/> section by section, without holding it in memory whole.</summary>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var scratch = new WasmWriter(64);
        scratch.WriteFixedUInt32(WasmModule.Magic);
        scratch.WriteFixedUInt32(Version);
        stream.Write(scratch.WrittenSpan);
        foreach (var section in _sections)
            section.WriteTo(stream, scratch);
    }
}
