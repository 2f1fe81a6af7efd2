using System.Globalization;
using System.Text.RegularExpressions;
using Dwarfsmith.Dwarf.Expressions;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Dwarf.Writing;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Tools;
using Dwarfsmith.Wasm;
using Xunit;

namespace Dwarfsmith.Dwarf.Transform.Tests;

/// <summary>Records every expression whole, with what it belongs to, and keeps it.</summary>
internal sealed class ExpressionRecorder : DwarfVisitor
{
    public List<(long Entry, DwTag Tag, DwAt Attribute, bool IsAttribute, string Text)> Seen { get; } = [];

    public override bool VisitsEveryExpression => true;

    public override void VisitExpression(in ExpressionInput expression, ExpressionWriter output)
    {
        var context = expression.Context;
        Seen.Add((context.EntryOffset, context.Tag, context.Attribute, expression.IsAttribute, expression.ToString()));
        output.VisitOperations();
    }
}

/// <summary>
/// Rewrites each location "DW_OP_fbreg N" into "DW_OP_fbreg N; DW_OP_skip end; DW_OP_lit1;
/// DW_OP_convert &lt;a base type it added&gt;; DW_OP_convert generic; DW_OP_call_ref &lt;a DWARF
/// procedure it added&gt;; end:" — the same location (the skipped operations never run), built with
/// a label and references to synthetic entries.
/// </summary>
internal sealed class SyntheticBaseTypeVisitor : DwarfVisitor
{
    public const string TypeName = "dwarfsmith_u32";
    private EntryBuilder _baseType = null!;
    private EntryBuilder _procedure = null!;

    public int Rewritten { get; private set; }

    public override bool VisitsEveryExpression => true;

    public override void BeginUnit(Unit input, UnitBuilder output)
    {
        _baseType = output.NewEntry(DwTag.DW_TAG_base_type);
        _baseType.Add(DwAt.DW_AT_name, Writing.AttributeValue.String(TypeName));
        _baseType.Add(DwAt.DW_AT_encoding, Writing.AttributeValue.Unsigned((ulong)DwAte.DW_ATE_unsigned));
        _baseType.Add(DwAt.DW_AT_byte_size, Writing.AttributeValue.Unsigned(4));
        output.Root.AppendChild(_baseType);
        _procedure = output.NewEntry(DwTag.DW_TAG_dwarf_procedure);
        _procedure.Add(DwAt.DW_AT_location, Writing.AttributeValue.Expression(new ExpressionBuilder(output).Op(DwOp.DW_OP_lit0).Build().Bytes));
        output.Root.AppendChild(_procedure);
    }

    public override void VisitExpression(in ExpressionInput expression, ExpressionWriter output)
    {
        var operations = expression.DecodeAll();
        if (!expression.IsAttribute || expression.Context.Attribute != DwAt.DW_AT_location || operations is not [{ Op: DwOp.DW_OP_fbreg } fbreg])
        {
            output.VisitOperations();
            return;
        }

        var builder = output.Builder;
        var end = builder.NewLabel();
        builder.Write(DwOp.DW_OP_fbreg, fbreg.Operand1)
            .Branch(DwOp.DW_OP_skip, end)
            .Op(DwOp.DW_OP_lit0 + 1)
            .Convert(DwOp.DW_OP_convert, _baseType.Id)
            .Convert(DwOp.DW_OP_convert, null)
            .Call(DwOp.DW_OP_call_ref, _procedure.Id)
            .Mark(end);
        Rewritten++;
    }
}

/// <summary>
/// Makes each DW_AT_location exprloc in a function a location list of two entries, the function's
/// two halves, each holding the expression rewritten: what one wasm location becoming several
/// native ranges looks like.
/// </summary>
internal sealed class ExprlocToListVisitor : DwarfVisitor
{
    private (ulong Low, ulong High)? _function;
    private long _functionOffset = -1;

    public int Converted { get; private set; }

    public override EntryAction VisitEntry(EntryCursor entry, EntryBuilder parent)
    {
        if (entry.Tag == DwTag.DW_TAG_subprogram && entry.TryGetPcRange(out ulong low, out ulong high) && high - low >= 2 && !entry.Unit.IsTombstone(low))
        {
            _function = (low, high);
            _functionOffset = entry.Offset;
        }

        return EntryAction.Keep;
    }

    public override void AfterChildren(long inputOffset, EntryBuilder output)
    {
        if (inputOffset == _functionOffset)
            _function = null;
    }

    public override bool VisitsEveryExpression => true;

    public override void VisitExpression(in ExpressionInput expression, ExpressionWriter output)
    {
        output.VisitOperations();
        if (!expression.IsAttribute || expression.Context.Attribute != DwAt.DW_AT_location || _function is not var (low, high))
            return;
        var built = output.Builder.Build();
        ulong middle = low + ((high - low) / 2);
        var list = new LocationList(2);
        list.Entries.Add(built.At(low, middle));
        list.Entries.Add(built.At(middle, high));
        output.WriteLocationList(list);
        Converted++;
    }
}

/// <summary>Leaves out every DW_AT_frame_base and every location-list entry's expression.</summary>
internal sealed class LeaveOutVisitor : DwarfVisitor
{
    public int FrameBases { get; private set; }

    public int ListEntries { get; private set; }

    public override bool VisitsEveryExpression => true;

    public override void VisitExpression(in ExpressionInput expression, ExpressionWriter output)
    {
        output.VisitOperations();
        if (expression.IsAttribute && expression.Context.Attribute == DwAt.DW_AT_frame_base)
        {
            output.LeaveOut();
            FrameBases++;
        }
        else if (!expression.IsAttribute)
        {
            output.LeaveOut();
            ListEntries++;
        }
    }
}

/// <summary>
/// <see cref="DwarfVisitor.VisitExpression"/> (a whole expression and what it belongs to),
/// <see cref="ExpressionBuilder"/> (labels, operands naming entries the visitor made) and
/// <see cref="ExpressionWriter.WriteLocationList"/> (one exprloc becoming a location list),
/// <see cref="ExpressionWriter.LeaveOut"/> (an attribute or list entry dropped), on
/// clang's wasm output, against llvm-dwarfdump's reading of input and output.
/// </summary>
public partial class ExpressionHookTests
{
    [Theory]
    [InlineData("structs", OptLevel.O0, 5)]
    [InlineData("pointers", OptLevel.O2, 4)]
    public void Every_expression_is_seen_whole_with_its_entry_and_attribute(string program, OptLevel opt, int version)
    {
        string input = Corpus.Get(program).BuildWasm(opt, version).Path;
        var recorder = new ExpressionRecorder();
        WasmDwarfRewriter.Rewrite(WasmModule.ReadFile(input), recorder);

        var dump = Entries(Rewriting.Dump(input, "--debug-info"));
        var exprlocs = dump.SelectMany(e => e.Attributes.Where(a => a.Value.StartsWith("DW_OP_", StringComparison.Ordinal))
            .Select(a => $"0x{e.Offset:x} {e.Tag} {a.Name}: {a.Value}")).Order(StringComparer.Ordinal).ToList();
        var seen = recorder.Seen.Where(s => s.IsAttribute).Select(s => $"0x{s.Entry:x} {s.Tag} {s.Attribute}: {s.Text}").Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(exprlocs);
        Assert.Equal(exprlocs, seen);

        // Expressions of location lists: seen with the entry and attribute that refer to the list.
        var listOwners = dump.SelectMany(e => e.Attributes.Where(a => ListValue().IsMatch(a.Value)).Select(a => $"0x{e.Offset:x} {e.Tag} {a.Name}")).ToHashSet();
        var listSeen = recorder.Seen.Where(s => !s.IsAttribute).Select(s => $"0x{s.Entry:x} {s.Tag} {s.Attribute}").ToHashSet();
        Assert.Equal(listOwners.Where(o => o.EndsWith("DW_AT_location", StringComparison.Ordinal)).Order(), listSeen.Where(o => o.EndsWith("DW_AT_location", StringComparison.Ordinal)).Order());
        if (opt != OptLevel.O0)
            Assert.NotEmpty(listSeen);
    }

    [Fact]
    public void A_built_expression_branches_to_its_label_and_names_an_entry_the_visitor_added()
    {
        string input = Corpus.Get("structs").BuildWasm(OptLevel.O0, 5).Path;
        var visitor = new SyntheticBaseTypeVisitor();
        string output = Rewriting.Rewrite(input, visitor, "synthetic-base-type");
        Rewriting.AssertNoNewVerifyErrors(input, output);
        Assert.True(visitor.Rewritten > 0);

        var before = Entries(Rewriting.Dump(input, "--debug-info"));
        var after = Entries(Rewriting.Dump(output, "--debug-info"));
        var types = after.Where(e => e.Tag == "DW_TAG_base_type" && e.Attributes.Any(a => a.Value == $"\"{SyntheticBaseTypeVisitor.TypeName}\"")).ToList();
        Assert.Equal(before.Count(e => e.Tag == "DW_TAG_compile_unit"), types.Count);

        // Each fbreg location, now with a skip over the 13 bytes of lit1 (1), convert with a 4-byte
        // ULEB (5), convert 0 (2) and call_ref with a 4-byte offset (5), a convert that names the
        // added type and a call_ref the added procedure, as llvm-dwarfdump reads them.
        var expected = before.SelectMany(e => e.Attributes.Where(a => a.Name == "DW_AT_location" && FbregOnly().IsMatch(a.Value))
            .Select(a => $"{e.Tag} {a.Value}, DW_OP_skip +13, DW_OP_lit1, DW_OP_convert {SyntheticBaseTypeVisitor.TypeName}, DW_OP_convert 0x0, DW_OP_call_ref DW_TAG_dwarf_procedure")).ToList();
        var actual = after.SelectMany(e => e.Attributes.Where(a => a.Name == "DW_AT_location" && a.Value.Contains("DW_OP_skip", StringComparison.Ordinal))
            .Select(a => $"{e.Tag} {CallRefOperand().Replace(ConvertOperand().Replace(a.Value, m => " " + TypeNameAt(after, m.Groups[1].Value)), m => " " + TagAt(after, m.Groups[1].Value))}")).ToList();
        Assert.Equal(visitor.Rewritten, expected.Count);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void An_exprloc_becomes_a_location_list_over_ranges_the_visitor_chose(int version)
    {
        string input = Corpus.Get("structs").BuildWasm(OptLevel.O0, version).Path;
        var visitor = new ExprlocToListVisitor();
        string output = Rewriting.Rewrite(input, visitor, $"exprloc-to-list-v{version}");
        Rewriting.AssertNoNewVerifyErrors(input, output);
        Assert.True(visitor.Converted > 0);

        // Expected from the input as llvm-dwarfdump reads it: each exprloc location of an entry
        // inside a live function, over the function's halves; entry k of the output is entry k of
        // the input (the visitor adds and drops none).
        var inputEntries = Entries(Rewriting.Dump(input, "--debug-info"));
        var outputEntries = Entries(Rewriting.Dump(output, "--debug-info"));
        Assert.Equal(inputEntries.Select(e => e.Tag), outputEntries.Select(e => e.Tag));
        var expected = new List<string>();
        var actual = new List<string>();
        foreach (var (index, low, high) in LocationsInFunctions(inputEntries))
        {
            ulong middle = low + ((high - low) / 2);
            string expression = inputEntries[index].Attributes.Single(a => a.Name == "DW_AT_location").Value;
            expected.Add($"{index} {inputEntries[index].Tag} [0x{low:x}, 0x{middle:x}): {expression} [0x{middle:x}, 0x{high:x}): {expression}");
            string list = outputEntries[index].Attributes.Single(a => a.Name == "DW_AT_location").Value;
            var ranges = ListEntry().Matches(list).Select(m =>
                $"[0x{ulong.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture):x}, 0x{ulong.Parse(m.Groups[2].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture):x}): {m.Groups[3].Value.Trim()}");
            actual.Add($"{index} {outputEntries[index].Tag} {string.Join(' ', ranges)}");
        }

        Assert.Equal(expected, actual);
        Assert.Equal(visitor.Converted, expected.Count);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void An_expression_left_out_drops_its_attribute_or_its_list_entry(int version)
    {
        string input = Corpus.Get("pointers").BuildWasm(OptLevel.O2, version).Path;
        var visitor = new LeaveOutVisitor();
        string output = Rewriting.Rewrite(input, visitor, $"leave-out-v{version}");
        Rewriting.AssertNoNewVerifyErrors(input, output);

        // Against llvm-dwarfdump's reading: the same entries; no frame base any more, location
        // lists without entries, every other attribute where it was.
        var before = Entries(Rewriting.Dump(input, "--debug-info"));
        var after = Entries(Rewriting.Dump(output, "--debug-info"));
        Assert.Equal(before.Select(e => e.Tag), after.Select(e => e.Tag));
        Assert.Equal(before.Sum(e => e.Attributes.Count(a => a.Name == "DW_AT_frame_base")), visitor.FrameBases);
        Assert.True(visitor.FrameBases > 0 && visitor.ListEntries > 0);
        int listEntriesBefore = 0;
        for (int i = 0; i < before.Count; i++)
        {
            // The unit's *_base attributes are the emitter's to place (see the pass).
            Assert.Equal(
                before[i].Attributes.Select(a => a.Name).Where(n => n != "DW_AT_frame_base" && !n.EndsWith("_base", StringComparison.Ordinal)).Order(StringComparer.Ordinal),
                after[i].Attributes.Select(a => a.Name).Where(n => !n.EndsWith("_base", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
            foreach (var (name, value) in after[i].Attributes.Where(a => ListValue().IsMatch(a.Value) && a.Name == "DW_AT_location"))
            {
                listEntriesBefore += ListEntry().Count(before[i].Attributes.Single(a => a.Name == name).Value);
                Assert.Equal(0, ListEntry().Count(value));
            }
        }

        // The visitor also saw the entries of dead code, which the dump does not show as live ranges.
        Assert.InRange(listEntriesBefore, 1, visitor.ListEntries);
    }

    [Fact]
    public void Only_an_attribute_expression_can_become_a_location_list()
    {
        var module = WasmModule.ReadFile(Corpus.Get("pointers").BuildWasm(OptLevel.O2, 5).Path);
        var error = Assert.Throws<InvalidOperationException>(() => WasmDwarfRewriter.Rewrite(module, new ListInListVisitor()));
        Assert.Contains("only an exprloc attribute's expression", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Tries to make a location list's entry a list.</summary>
    private sealed class ListInListVisitor : DwarfVisitor
    {
        public override bool VisitsEveryExpression => true;

        public override void VisitExpression(in ExpressionInput expression, ExpressionWriter output)
        {
            output.VisitOperations();
            if (!expression.IsAttribute)
                output.WriteLocationList(new LocationList());
        }
    }

    /// <summary>One entry of a --debug-info dump: its offset, tag and attributes (a list's lines joined).</summary>
    internal sealed record DumpEntry(long Offset, string Tag, int Depth, List<(string Name, string Value)> Attributes);

    /// <summary>The entries of a non-verbose --debug-info dump.</summary>
    internal static List<DumpEntry> Entries(string dump)
    {
        var entries = new List<DumpEntry>();
        DumpEntry? current = null;
        string[] lines = dump.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var entry = EntryLine().Match(lines[i]);
            if (entry.Success)
            {
                current = new DumpEntry(long.Parse(entry.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture), entry.Groups[3].Value, entry.Groups[2].Length, []);
                entries.Add(current);
                continue;
            }

            var attribute = AttributeLine().Match(lines[i]);
            if (!attribute.Success || current is null)
                continue;
            // A list's entries continue on the lines below, up to the next attribute, entry or blank line.
            string value = attribute.Groups[2].Value;
            while (i + 1 < lines.Length && lines[i + 1].Trim().Length > 0 && !AttributeLine().IsMatch(lines[i + 1]) && !lines[i + 1].StartsWith("0x", StringComparison.Ordinal))
                value += " " + lines[++i].Trim();
            current.Attributes.Add((attribute.Groups[1].Value, value[..^1].Trim()));
        }

        return entries;
    }

    /// <summary>The entries (by index) with an exprloc DW_AT_location inside a function of live code, and its range.</summary>
    private static IEnumerable<(int Index, ulong Low, ulong High)> LocationsInFunctions(List<DumpEntry> entries)
    {
        (int Depth, ulong Low, ulong High)? function = null;
        for (int i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (function is { } f && entry.Depth <= f.Depth)
                function = null;
            if (entry.Tag == "DW_TAG_subprogram")
            {
                string? low = entry.Attributes.FirstOrDefault(a => a.Name == "DW_AT_low_pc").Value;
                string? high = entry.Attributes.FirstOrDefault(a => a.Name == "DW_AT_high_pc").Value;
                if (low is null || high is null || low.Contains("dead code", StringComparison.Ordinal))
                    continue;
                ulong l = Hex(low), h = Hex(high);
                if (h - l >= 2)
                    function = (entry.Depth, l, h);
                continue;
            }

            if (function is { } inside && entry.Attributes.FirstOrDefault(a => a.Name == "DW_AT_location").Value is { } value && value.StartsWith("DW_OP_", StringComparison.Ordinal))
                yield return (i, inside.Low, inside.High);
        }
    }

    private static ulong Hex(string text) => ulong.Parse(HexValue().Match(text).Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static string TagAt(List<DumpEntry> entries, string offset) =>
        entries.Single(e => e.Offset == long.Parse(offset, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).Tag;

    private static string TypeNameAt(List<DumpEntry> entries, string offset)
    {
        long at = long.Parse(offset, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var entry = entries.Single(e => e.Offset == at);
        return entry.Attributes.Single(a => a.Name == "DW_AT_name").Value.Trim('"');
    }

    [GeneratedRegex(@"^0x([0-9a-f]+):(\s+)(DW_TAG_\w+)")]
    private static partial Regex EntryLine();

    [GeneratedRegex(@"^\s+(DW_AT_\w+)\s+\((.*)$")]
    private static partial Regex AttributeLine();

    [GeneratedRegex(@"^0x[0-9a-f]+:")]
    private static partial Regex ListValue();

    [GeneratedRegex(@"\[0x([0-9a-f]+), 0x([0-9a-f]+)\): ([^\[]+)")]
    private static partial Regex ListEntry();

    [GeneratedRegex(@"^DW_OP_fbreg [+-]\d+$")]
    private static partial Regex FbregOnly();

    /// <summary>A DW_OP_convert operand as llvm-dwarfdump prints it: the type's offset, then its description.</summary>
    [GeneratedRegex(@" \(0x([0-9a-f]+)\) ""[^""]*""")]
    private static partial Regex ConvertOperand();

    [GeneratedRegex(@"0x([0-9a-f]+)")]
    private static partial Regex HexValue();

    /// <summary>A DW_OP_call_ref operand: a .debug_info offset.</summary>
    [GeneratedRegex(@"(?<=DW_OP_call_ref) 0x([0-9a-f]+)")]
    private static partial Regex CallRefOperand();
}
