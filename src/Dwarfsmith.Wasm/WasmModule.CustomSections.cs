using Dwarfsmith.Wasm.CustomSections;

namespace Dwarfsmith.Wasm;

/// <summary>Typed views of the custom sections, parsed on first use.</summary>
public sealed partial class WasmModule
{
    private NameSection? _names;
    private bool _namesParsed;

    /// <summary>The <c>name</c> section, or null when absent. Malformed content throws <see cref="WasmFormatException"/>.</summary>
    public NameSection? Names
    {
        get
        {
            if (!_namesParsed)
            {
                var section = FindCustomSection(NameSection.SectionName);
                _names = section is null ? null : NameSection.Parse(section);
                _namesParsed = true;
            }
            return _names;
        }
    }

    public ProducersSection? Producers => ParseCustom(ProducersSection.SectionName, ProducersSection.Parse);

    public TargetFeaturesSection? TargetFeatures => ParseCustom(TargetFeaturesSection.SectionName, TargetFeaturesSection.Parse);

    public byte[]? BuildId => ParseCustom(SingleValueSections.BuildId, SingleValueSections.ParseBytes);

    public string? ExternalDebugInfo => ParseCustom(SingleValueSections.ExternalDebugInfo, SingleValueSections.ParseString);

    public string? SourceMappingUrl => ParseCustom(SingleValueSections.SourceMappingUrl, SingleValueSections.ParseString);

    public LinkingSection? Linking => ParseCustom(LinkingSection.SectionName, LinkingSection.Parse);

    public IEnumerable<RelocationSection> Relocations =>
        CustomSections.Where(s => s.Name!.StartsWith("reloc.", StringComparison.Ordinal)).Select(RelocationSection.Parse);

    /// <summary>The function's name from the name section, if any.</summary>
    public string? FunctionName(uint functionIndex) =>
        Names is { } names && names.FunctionNames.TryGetValue(functionIndex, out var name) ? name : null;

    private T? ParseCustom<T>(string name, Func<Section, T> parse) where T : class
    {
        var section = FindCustomSection(name);
        return section is null ? null : parse(section);
    }
}
