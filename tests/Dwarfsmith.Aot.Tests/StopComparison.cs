using System.Text.Json;
using System.Text.Json.Nodes;
using Dwarfsmith.Wasm;

namespace Dwarfsmith.Aot.Tests;

/// <summary>
/// What the debugger tests (<see cref="DebugInfoGdbTests"/>, <see cref="DebugInfoLldbTests"/>) compare
/// of a native stop and an AOT stop: the JSON a stops script wrote, with the two platforms'
/// differences set aside by the rules <see cref="GdbDifferential"/> states.
/// </summary>
internal static partial class StopComparison
{
    /// <summary>Names of the module's variables located at a tombstone address (data wasm-ld removed).</summary>
    public static HashSet<string> VariablesTheLinkerRemoved(string wasm)
    {
        var removed = new HashSet<string>(StringComparer.Ordinal);
        var context = new Dwarf.Reading.DwarfContext(Tools.DwarfContainers.FromWasm(WasmModule.ReadFile(wasm)));
        foreach (var unit in context.Units)
        {
            var cursor = unit.Entries();
            while (cursor.MoveNext())
            {
                if (cursor.IsNull || cursor.Tag != Dwarf.DwTag.DW_TAG_variable
                    || !cursor.TryGetAttribute(Dwarf.DwAt.DW_AT_name, out var name)
                    || !cursor.TryGetAttribute(Dwarf.DwAt.DW_AT_location, out var location) || !location.IsBlock)
                {
                    continue;
                }

                var operations = Dwarf.Expressions.DwarfExpression.DecodeAll(location.Memory, unit.Encoding);
                if (operations is [{ Op: Dwarf.DwOp.DW_OP_addr or Dwarf.DwOp.DW_OP_addrx } only]
                    && unit.IsTombstone(only.Op == Dwarf.DwOp.DW_OP_addr ? only.Operand1 : unit.AddressAt(only.Operand1)))
                {
                    removed.Add(unit.GetString(name)!);
                }
            }
        }

        return removed;
    }

    /// <summary>Both stops with the platforms' differences set aside (see the class's summary).</summary>
    public static (JsonObject Native, JsonObject Aot) Comparable(string native, string aot, HashSet<string> removed, string source)
    {
        var nativeStop = JsonNode.Parse(native)!.AsObject();
        var aotStop = JsonNode.Parse(aot)!.AsObject();
        foreach (var stop in new[] { nativeStop, aotStop })
        {
            // What a function the C library called was given depends on the library (qsort's
            // comparator sees other pairs under glibc than under musl): its pointers' prints differ.
            if (stop["frames"] is JsonArray frames && CalledByTheLibrary(frames, source))
                stop.Remove("prints");
        }

        foreach (var stop in new[] { nativeStop, aotStop })
        {
            if (stop["frames"] is not JsonArray frames)
                continue; // the program exited
            foreach (var frame in frames.Where(f => f!["file"]?.GetValue<string>() != source).ToList())
                frames.Remove(frame);
        }

        foreach (var stop in new[] { nativeStop, aotStop })
        {
            if (stop["types"] is not JsonObject types)
                continue;
            foreach (var (name, type) in types.ToList())
            {
                if (type!.GetValue<string>().Contains("va_list", StringComparison.Ordinal))
                {
                    stop["types"]![name] = "va_list";
                    stop["variables"]![name] = "<va_list>";
                }
            }
        }

        foreach (var scope in new[] { "variables", "globals" })
        {
            if (nativeStop[scope] is not JsonObject nativeScope || aotStop[scope] is not JsonObject aotScope)
                continue;
            foreach (var name in removed)
            {
                if (nativeScope.ContainsKey(name) && aotScope[name]?.GetValue<string>() == "<optimized out>")
                    nativeScope[name] = "<optimized out>";
            }

            SetAsideUnreadableTargets(nativeScope, aotScope);
        }

        foreach (var stop in new[] { nativeStop, aotStop })
            ComparablePrints(stop);
        return (nativeStop, aotStop);
    }

    /// <summary>
    /// A non-null pointer whose target the native process cannot read (an integer punned into it,
    /// as Csmith's unions do) may point inside linear memory in wasm, whose bounds are not the
    /// process's: such a pointer is compared by its non-null-ness alone.
    /// </summary>
    private static void SetAsideUnreadableTargets(JsonNode native, JsonNode aot)
    {
        switch (native, aot)
        {
            case (JsonObject nativeObject, JsonObject aotObject):
                foreach (var (name, value) in nativeObject.ToList())
                {
                    if (value is JsonValue leaf && aotObject[name] is JsonValue aotLeaf && IsUnreadableTarget(leaf, aotLeaf))
                    {
                        nativeObject[name] = "nonnull";
                        aotObject[name] = "nonnull";
                    }
                    else if (value is not null && aotObject[name] is { } aotValue)
                        SetAsideUnreadableTargets(value, aotValue);
                }

                break;
            case (JsonArray nativeArray, JsonArray aotArray):
                for (int i = 0; i < Math.Min(nativeArray.Count, aotArray.Count); i++)
                {
                    if (nativeArray[i] is JsonValue leaf && aotArray[i] is JsonValue aotLeaf && IsUnreadableTarget(leaf, aotLeaf))
                    {
                        nativeArray[i] = "nonnull";
                        aotArray[i] = "nonnull";
                    }
                    else if (nativeArray[i] is { } value && aotArray[i] is { } aotValue)
                        SetAsideUnreadableTargets(value, aotValue);
                }

                break;
        }
    }

    private static bool IsUnreadableTarget(JsonValue native, JsonValue aot) =>
        native.TryGetValue<string>(out var nativeText) && nativeText.StartsWith("error: Cannot access memory", StringComparison.Ordinal)
        && aot.TryGetValue<string>(out var aotText) && (aotText.StartsWith("-> ", StringComparison.Ordinal) || aotText.StartsWith("error: Cannot access memory", StringComparison.Ordinal));


    /// <summary>Whether a frame of the C library lies between the stop's function and main.</summary>
    private static bool CalledByTheLibrary(JsonArray frames, string source)
    {
        var files = frames.Select(frame => frame!["file"]?.GetValue<string>()).ToList();
        return files.Count > 1 && files.Take(files.Count - 1).Any(file => file != source);
    }

    /// <summary>
    /// The <c>p</c> outputs of a stop (lldb_stops.py's "prints") under the same rules, and one of
    /// their own: natively lldb's <c>p</c> answers a member access with its expression evaluator,
    /// which const-qualifies a member reached through a pointer to const as C does (<c>p head-&gt;value</c>
    /// prints <c>(const int32_t) 36</c>, <c>p head-&gt;next</c> <c>(node *const)</c>; <c>v head-&gt;value</c>,
    /// its path evaluator, <c>(int32_t)</c>), while the extension's <c>p</c> shows the member's declared
    /// type: the type of a member so printed is compared unqualified.
    /// </summary>
    private static void ComparablePrints(JsonObject stop)
    {
        if (stop["prints"] is not JsonObject prints)
            return;
        foreach (var (command, output) in prints.ToList())
        {
            var variable = PrintedVariable().Match(command).Groups[1].Value;
            if (stop["types"]?[variable]?.GetValue<string>() == "va_list")
            {
                prints.Remove(command);
                continue;
            }

            if (command.Contains("->", StringComparison.Ordinal) && output is not null)
                prints[command] = MemberTypeQualifier().Replace(output.GetValue<string>(), "");
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^p \*?([A-Za-z_]\w*)")]
    private static partial System.Text.RegularExpressions.Regex PrintedVariable();

    // "const " at the start of the printed type, or " const" after its last "*".
    [System.Text.RegularExpressions.GeneratedRegex(@"(?<=^\()const |(?<=\*)const(?=\))")]
    private static partial System.Text.RegularExpressions.Regex MemberTypeQualifier();

    /// <summary>A stop as one line of text, to compare and to show.</summary>
    public static string Normalized(JsonNode stop) =>
        stop.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
