namespace Dwarfsmith.Wasm;

/// <summary>
/// One section as it appears in the file. <see cref="RawBytes"/> (id, size LEB and payload) is what a
/// writer copies for an unchanged section, so that padded size LEBs survive a round trip.
/// </summary>
public sealed class Section
{
    public Section(SectionId id, string? name, long offset, ReadOnlyMemory<byte> rawBytes, int payloadStart, int contentStart)
    {
        Id = id;
        Name = name;
        Offset = offset;
        RawBytes = rawBytes;
        PayloadStart = payloadStart;
        ContentStart = contentStart;
    }

    public SectionId Id { get; }

    /// <summary>Name of a custom section; null for the others.</summary>
    public string? Name { get; }

    /// <summary>File offset of the section id byte.</summary>
    public long Offset { get; }

    /// <summary>The whole section: id byte, size LEB and payload.</summary>
    public ReadOnlyMemory<byte> RawBytes { get; }

    /// <summary>Index in <see cref="RawBytes"/> where the payload starts (after the size LEB).</summary>
    public int PayloadStart { get; }

    /// <summary>Index in <see cref="RawBytes"/> where the content starts: after a custom section's name, else the payload start.</summary>
    public int ContentStart { get; }

    public ReadOnlyMemory<byte> Payload => RawBytes[PayloadStart..];

    /// <summary>The section's content: the payload without a custom section's name.</summary>
    public ReadOnlyMemory<byte> Content => RawBytes[ContentStart..];

    public long PayloadOffset => Offset + PayloadStart;

    public long ContentOffset => Offset + ContentStart;

    public int PayloadSize => RawBytes.Length - PayloadStart;

    public bool IsCustom => Id == SectionId.Custom;

    /// <summary>Human-readable name used in error messages, e.g. "code section" or "custom section 'name'".</summary>
    public string DisplayName => IsCustom ? $"custom section '{Name}'" : SectionIds.DisplayName(Id);

    /// <summary>A reader over the content with absolute offsets and this section's display name.</summary>
    public WasmReader ContentReader() => new(Content.Span, ContentOffset, DisplayName);

    public override string ToString() => $"{DisplayName} at 0x{Offset:X} ({PayloadSize} bytes)";
}
