namespace Dwarfsmith.Wasm;

/// <summary>Section ids of the binary format (WebAssembly 2.0 plus the exception-handling tag section).</summary>
public enum SectionId : byte
{
    Custom = 0,
    Type = 1,
    Import = 2,
    Function = 3,
    Table = 4,
    Memory = 5,
    Global = 6,
    Export = 7,
    Start = 8,
    Element = 9,
    Code = 10,
    Data = 11,
    DataCount = 12,
    Tag = 13,
}

public static class SectionIds
{
    /// <summary>
    /// Position of each known section in the required order; the tag section sits between memory
    /// and global, and data count between element and code.
    /// </summary>
    public static int OrderOf(SectionId id) => id switch
    {
        SectionId.Type => 1,
        SectionId.Import => 2,
        SectionId.Function => 3,
        SectionId.Table => 4,
        SectionId.Memory => 5,
        SectionId.Tag => 6,
        SectionId.Global => 7,
        SectionId.Export => 8,
        SectionId.Start => 9,
        SectionId.Element => 10,
        SectionId.DataCount => 11,
        SectionId.Code => 12,
        SectionId.Data => 13,
        _ => 0,
    };

    public static bool IsKnown(byte id) => id <= (byte)SectionId.Tag;

    public static string DisplayName(SectionId id) => id switch
    {
        SectionId.Custom => "custom section",
        SectionId.DataCount => "data count section",
        _ => id.ToString().ToLowerInvariant() + " section",
    };
}
