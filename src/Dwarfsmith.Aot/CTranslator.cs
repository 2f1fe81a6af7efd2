using System.Globalization;
using System.Text;
using Dwarfsmith.Wasm;
using ValueType = Dwarfsmith.Wasm.ValueType;
using Dwarfsmith.Wasm.Instructions;
using Dwarfsmith.Wasm.Validation;

namespace Dwarfsmith.Aot;

/// <summary>The C translation of a module: one source file that includes <c>wasm_rt.h</c>.</summary>
public sealed class CTranslation
{
    internal CTranslation(string source, string lineFileName, IReadOnlyList<string?> functionNames, IReadOnlyList<string> parts)
    {
        Source = source;
        Parts = parts;
        LineFileName = lineFileName;
        FunctionNames = functionNames;
    }

    /// <summary>The C source (with one part: everything).</summary>
    public string Source { get; }

    /// <summary>
    /// The C split into separately compilable files when more than one part was asked for:
    /// <see cref="Source"/> first (data, instantiation and the first functions), then files that
    /// declare what it defines and hold the other functions. Otherwise just <see cref="Source"/>.
    /// </summary>
    public IReadOnlyList<string> Parts { get; }

    /// <summary>The file name given in every <c>#line</c> directive (the module's file name).</summary>
    public string LineFileName { get; }

    /// <summary>C name of each defined function by function index (null for imports).</summary>
    public IReadOnlyList<string?> FunctionNames { get; }
}

/// <summary>
/// Translates a validated WebAssembly module into C for the embedded runtime. The translation is
/// designed for debugging: a <c>#line &lt;code offset&gt; "&lt;module&gt;.wasm"</c> before the C of every
/// instruction (offsets in DWARF's address space), one statement per instruction, and the names of
/// <see cref="CNames"/>. Validation runs as part of the translation and gives each stack slot its type.
/// </summary>
public static class CTranslator
{
    /// <param name="module">The module.</param>
    /// <param name="lineFileName">The file name for <c>#line</c> directives, usually the module's file name.</param>
    /// <param name="linkage">How the module links with other modules in one program (the spec-test harness), or null for a WASI command.</param>
    /// <param name="parts">Into how many C files to split the functions (for a parallel C compile); 1 keeps one file.</param>
    public static CTranslation Translate(WasmModule module, string lineFileName, ModuleLinkage? linkage = null, int parts = 1)
    {
        CheckSupported(module, linkage is not null);
        if (parts < 1 || (parts > 1 && linkage is not null))
            throw new ArgumentOutOfRangeException(nameof(parts), "a linked module is one file; parts must be at least 1");
        var context = new ModuleContext(module, lineFileName, linkage, split: parts > 1);
        var output = new StringBuilder(Math.Max(module.Bytes.Length * 12, 4096));
        WritePrelude(output, context);
        // Instantiation comes before the functions: they come last, so that every line after the
        // first #line belongs to a function.
        WriteInstantiation(output, context);
        var functionStarts = new List<int>();
        var functions = new FunctionTranslator(context, output);
        var validation = ValidationContext.FromModule(module);
        ModuleValidator.ValidateDeclarations(module, validation);
        // The validator reports each instruction's operand types; the translator brackets every
        // body with its own begin and end.
        var validator = new FunctionValidator(validation);
        foreach (var body in module.Bodies)
        {
            var type = validation.FunctionTypeOf(body.FunctionIndex)!;
            var locals = new List<ValueType>(type.Parameters);
            foreach (var declaration in body.Locals)
                locals.AddRange(Enumerable.Repeat(declaration.Type, (int)declaration.Count));
            functionStarts.Add(output.Length);
            functions.BeginFunction(body.FunctionIndex, type, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(locals));
            validator.Validate(body, ref functions);
            functions.EndFunction();
        }
        if (parts == 1)
        {
            var source = output.ToString();
            return new CTranslation(source, lineFileName, context.FunctionNames, [source]);
        }
        var files = SplitFunctions(output, functionStarts, parts, context);
        return new CTranslation(files[0], lineFileName, context.FunctionNames, files);
    }

    /// <summary>
    /// Part 0 keeps the prelude, the instantiation and the first functions; each further part
    /// declares what part 0 defines and takes a run of functions of about equal size.
    /// </summary>
    private static List<string> SplitFunctions(StringBuilder output, List<int> functionStarts, int parts, ModuleContext c)
    {
        var declarations = new StringBuilder();
        WriteSharedDeclarations(declarations, c);
        var files = new List<string>();
        var start = 0;
        var next = 0;
        for (var part = 0; part < parts; part++)
        {
            // What remains, shared among the remaining parts; the cut is at a function's start.
            var end = start + (output.Length - start) / (parts - part);
            while (next < functionStarts.Count && (functionStarts[next] <= start || functionStarts[next] < end))
                next++;
            var cut = next < functionStarts.Count && part < parts - 1 ? functionStarts[next] : output.Length;
            var text = output.ToString(start, cut - start);
            files.Add(part == 0 ? text : declarations + text);
            start = cut;
        }
        return files;
    }

    private static void CheckSupported(WasmModule module, bool linked)
    {
        if (module.MemoryCount > 1)
            throw new AotException("multiple memories are not supported");
        foreach (var memory in module.Memories)
        {
            if (memory.Limits.Is64)
                throw new AotException("64-bit memories (memory64) are not supported");
        }
        foreach (var import in module.Imports)
        {
            if (import.Kind != ExternalKind.Function && !linked)
                throw new AotException($"unsupported import {import.Module}.{import.Name}: the runtime provides no {import.Kind.ToString().ToLowerInvariant()} imports");
        }
        if (module.TagCount > 0)
            throw new AotException("exception handling (tags) is not supported");
    }

    private static void WritePrelude(StringBuilder o, ModuleContext c)
    {
        var module = c.Module;
        o.Append("/* Translated by Dwarfsmith from ").Append(c.LineFileName.Replace("*/", "*_/", StringComparison.Ordinal)).Append(". */\n");
        if (c.Linkage is { } linkage)
            LinkedSymbols.WriteRenames(o, module, linkage);
        o.Append("#include \"wasm_rt.h\"\n\n");
        if (c.Linkage is not null)
            LinkedSymbols.WriteImportDeclarations(o, module);
        o.Append("const char wasm_module_name[] = ").Append(CString(c.LineFileName)).Append(";\n\n");
        WritePrototypes(o, c);
        WriteDefinitions(o, c);
    }

    /// <summary>What a further part of a split translation needs of part 0: types, prototypes, and extern declarations of its data.</summary>
    private static void WriteSharedDeclarations(StringBuilder o, ModuleContext c)
    {
        var module = c.Module;
        o.Append("/* Translated by Dwarfsmith from ").Append(c.LineFileName.Replace("*/", "*_/", StringComparison.Ordinal))
            .Append(": a further part; the first part defines the data declared here. */\n#include \"wasm_rt.h\"\n\n");
        WritePrototypes(o, c);
        for (var i = 0; i < module.FunctionCount; i++)
            o.Append("extern const wasm_func ").Append(CNames.FunctionReference((uint)i)).Append(";\n");
        for (var i = 0; i < module.Globals.Count; i++)
        {
            var index = (uint)(module.ImportedGlobalCount + i);
            o.Append("extern ").Append(CNames.CType(module.Globals[i].Type.ValueType)).Append(' ').Append(CNames.Global(index)).Append(";\n");
        }
        for (var i = 0; i < module.Tables.Count; i++)
            o.Append("extern wasm_table ").Append(CNames.Table((uint)(module.ImportedTableCount + i))).Append(";\n");
        for (var i = 0; i < module.Data.Count; i++)
            o.Append("extern const uint8_t ").Append(CNames.DataSegment((uint)i)).Append("[];\n");
        if (module.Data.Count > 0)
            o.Append("extern uint32_t wasm_data_length[];\n");
        for (var i = 0; i < module.Elements.Count; i++)
            o.Append("extern const void *").Append(CNames.ElementSegment((uint)i)).Append("[];\n");
        if (module.Elements.Count > 0)
            o.Append("extern uint32_t wasm_elem_length[];\n");
        o.Append('\n');
    }

    private static void WritePrototypes(StringBuilder o, ModuleContext c)
    {
        var module = c.Module;
        // Multi-value result structs.
        var structs = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in module.Types)
        {
            if (type.Results.Length > 1 && structs.Add(CNames.MultiValueStruct(type.Results)))
            {
                o.Append("typedef struct { ");
                for (var i = 0; i < type.Results.Length; i++)
                    o.Append(CNames.CType(type.Results[i])).Append(" r").Append(i).Append("; ");
                o.Append("} ").Append(CNames.MultiValueStruct(type.Results)).Append(";\n");
            }
        }

        // Host functions (imports).
        for (var i = 0; i < module.ImportedFunctionCount; i++)
        {
            var host = c.Hosts[i]!;
            o.Append(CNames.ReturnType(host.Type)).Append(' ').Append(host.CName).Append('(');
            AppendParameterTypes(o, host.Type);
            o.Append(");\n");
        }

        // Defined functions.
        for (var i = module.ImportedFunctionCount; i < module.FunctionCount; i++)
        {
            var type = c.FunctionType((uint)i);
            o.Append(c.Internal).Append(CNames.ReturnType(type)).Append(' ').Append(c.FunctionNames[i]).Append('(');
            AppendParameterTypes(o, type);
            o.Append(");\n");
        }
        o.Append('\n');
    }

    private static void WriteDefinitions(StringBuilder o, ModuleContext c)
    {
        var module = c.Module;

        // Function references (for funcref values, tables and call_indirect).
        for (var i = 0; i < module.FunctionCount; i++)
        {
            var index = (uint)i;
            var typeIndex = c.FunctionTypeIndex(index);
            o.Append(c.Internal).Append("const wasm_func ").Append(CNames.FunctionReference(index)).Append(" = { ")
                .Append(c.TypeIds[typeIndex]).Append(", (void (*)(void))").Append(c.CFunctionName(index)).Append(", ").Append(index).Append(" };\n");
        }
        o.Append('\n');

        // Function table for trap messages, sorted by code offset.
        o.Append("const wasm_function_info wasm_functions[] = {\n");
        foreach (var body in module.Bodies)
        {
            var name = module.FunctionName(body.FunctionIndex) ?? $"func{body.FunctionIndex}";
            o.Append("    { ").Append(body.CodeOffset).Append(", ").Append(body.Size).Append(", ").Append(CString(name)).Append(" },\n");
        }
        if (module.Bodies.Count == 0)
            o.Append("    { 0, 0, 0 },\n");
        o.Append("};\nconst uint32_t wasm_function_count = ").Append(module.Bodies.Count).Append(";\n\n");
        if (c.Linkage is null)
            SourceLineTable.Write(o, module);

        // Globals.
        for (var i = 0; i < module.Globals.Count; i++)
        {
            var index = (uint)(module.ImportedGlobalCount + i);
            o.Append(CNames.CType(module.Globals[i].Type.ValueType)).Append(' ').Append(CNames.Global(index)).Append(";\n");
        }

        // Tables.
        for (var i = 0; i < module.Tables.Count; i++)
            o.Append("wasm_table ").Append(CNames.Table((uint)(module.ImportedTableCount + i))).Append(";\n");

        // Data segments.
        if (module.Data.Count > 0)
        {
            for (var i = 0; i < module.Data.Count; i++)
            {
                o.Append(c.Internal).Append("const uint8_t ").Append(CNames.DataSegment((uint)i)).Append("[] = ");
                AppendBytes(o, module.Data[i].Data.Span);
                o.Append(";\n");
            }
            o.Append(c.Internal).Append("uint32_t wasm_data_length[] = { ");
            foreach (var segment in module.Data)
                o.Append(segment.Data.Length).Append(", ");
            o.Append("};\n");
        }

        // Element segments.
        if (module.Elements.Count > 0)
        {
            for (var i = 0; i < module.Elements.Count; i++)
            {
                var segment = module.Elements[i];
                o.Append(c.Internal).Append("const void *").Append(CNames.ElementSegment((uint)i)).Append("[] = { ");
                if (segment.FunctionIndices is { } indices)
                {
                    foreach (var index in indices)
                        o.Append('&').Append(CNames.FunctionReference(index)).Append(", ");
                }
                else
                {
                    foreach (var expression in segment.Expressions!)
                    {
                        var value = ConstantExpressionToC(expression, c);
                        // global.get items are filled in at instantiation.
                        o.Append(value.StartsWith("wasm_global_", StringComparison.Ordinal) ? "0" : value).Append(", ");
                    }
                }
                if (segment.Count == 0)
                    o.Append('0');
                o.Append("};\n");
            }
            o.Append(c.Internal).Append("uint32_t wasm_elem_length[] = { ");
            foreach (var segment in module.Elements)
                o.Append(segment.Count).Append(", ");
            o.Append("};\n");
        }
        o.Append('\n');
    }

    private static void WriteInstantiation(StringBuilder o, ModuleContext c)
    {
        var module = c.Module;
        o.Append("\nvoid wasm_module_instantiate(void) {\n");
        foreach (var memory in module.Memories)
            o.Append("    wasm_memory_create(").Append(memory.Limits.Minimum).Append("u, ").Append(memory.Limits.Maximum ?? 65536).Append("u);\n");
        for (var i = 0; i < module.Tables.Count; i++)
        {
            var limits = module.Tables[i].Limits;
            o.Append("    wasm_table_create(&").Append(CNames.Table((uint)(module.ImportedTableCount + i))).Append(", ").Append(limits.Minimum).Append("u, ")
                .Append(limits.Maximum is { } max ? $"{max}u" : "UINT32_MAX").Append(");\n");
        }
        for (var i = 0; i < module.Globals.Count; i++)
        {
            var index = (uint)(module.ImportedGlobalCount + i);
            o.Append("    ").Append(CNames.Global(index)).Append(" = ").Append(ConstantExpressionToC(module.Globals[i].Init, c)).Append(";\n");
        }
        for (var i = 0; i < module.Elements.Count; i++)
        {
            var segment = module.Elements[i];
            var name = CNames.ElementSegment((uint)i);
            if (segment.Expressions is { } expressions)
            {
                for (var k = 0; k < expressions.Length; k++)
                {
                    var value = ConstantExpressionToC(expressions[k], c);
                    if (value.StartsWith("wasm_global_", StringComparison.Ordinal))
                        o.Append("    ").Append(name).Append('[').Append(k).Append("] = ").Append(value).Append(";\n");
                }
            }
            if (segment.Mode == SegmentMode.Active)
            {
                o.Append("    wasm_table_init(&").Append(CNames.Table(segment.TableIndex)).Append(", ").Append(name).Append(", ").Append(segment.Count)
                    .Append("u, ").Append(ConstantExpressionToC(segment.Offset!, c)).Append(", 0, ").Append(segment.Count).Append("u, 0);\n");
            }
            if (segment.Mode != SegmentMode.Passive)
                o.Append("    wasm_elem_length[").Append(i).Append("] = 0;\n");
        }
        for (var i = 0; i < module.Data.Count; i++)
        {
            var segment = module.Data[i];
            if (segment.Mode != SegmentMode.Active)
                continue;
            o.Append("    wasm_memory_init(").Append(CNames.DataSegment((uint)i)).Append(", ").Append(segment.Data.Length).Append("u, ")
                .Append(ConstantExpressionToC(segment.Offset!, c)).Append(", 0, ").Append(segment.Data.Length).Append("u, 0);\n");
            o.Append("    wasm_data_length[").Append(i).Append("] = 0;\n");
        }
        if (module.StartFunction is { } start)
            o.Append("    ").Append(c.CFunctionName(start)).Append("();\n");
        o.Append("}\n\nvoid wasm_module_run_start(void) {\n");
        // A linked module is driven by its exports, not by _start.
        var entry = c.Linkage is null ? module.Exports.FirstOrDefault(e => e.Kind == ExternalKind.Function && e.Name == "_start") : null;
        if (entry is not null)
        {
            var type = c.FunctionType(entry.Index);
            if (type.Parameters.Length != 0 || type.Results.Length != 0)
                throw new AotException($"the exported _start has type {type}, expected () -> ()");
            o.Append("    ").Append(c.CFunctionName(entry.Index)).Append("();\n");
        }
        o.Append("}\n\n");
        if (c.Linkage is { } linkage)
            LinkedSymbols.WriteExportedFunctions(o, c, linkage);
    }

    private static void AppendParameterTypes(StringBuilder o, FunctionType type)
    {
        if (type.Parameters.Length == 0)
        {
            o.Append("void");
            return;
        }
        for (var i = 0; i < type.Parameters.Length; i++)
        {
            if (i > 0)
                o.Append(", ");
            o.Append(CNames.CType(type.Parameters[i]));
        }
    }

    /// <summary>A constant expression as a C expression (globals, offsets, element items).</summary>
    internal static string ConstantExpressionToC(ConstantExpression expression, ModuleContext c)
    {
        var reader = new InstructionReader(expression.Bytes.Span, expression.FileOffset, "constant expression");
        var stack = new Stack<string>();
        while (reader.TryRead(out var instruction))
        {
            switch (instruction.Opcode)
            {
                case Opcode.I32Const: stack.Push(CLiterals.I32(instruction.I32Value)); break;
                case Opcode.I64Const: stack.Push(CLiterals.I64(instruction.I64Value)); break;
                case Opcode.F32Const: stack.Push(CLiterals.F32(instruction.F32Bits)); break;
                case Opcode.F64Const: stack.Push(CLiterals.F64(instruction.F64Bits)); break;
                case Opcode.V128Const: stack.Push(CLiterals.V128(instruction.V128Value)); break;
                case Opcode.RefNull: stack.Push("0"); break;
                case Opcode.RefFunc: stack.Push("&" + CNames.FunctionReference(instruction.FunctionIndex)); break;
                case Opcode.GlobalGet: stack.Push(CNames.Global(instruction.GlobalIndex)); break;
                case Opcode.I32Add or Opcode.I64Add or Opcode.I32Sub or Opcode.I64Sub or Opcode.I32Mul or Opcode.I64Mul:
                {
                    var b = stack.Pop();
                    var a = stack.Pop();
                    var op = instruction.Opcode is Opcode.I32Add or Opcode.I64Add ? "+" : instruction.Opcode is Opcode.I32Sub or Opcode.I64Sub ? "-" : "*";
                    var cast = instruction.Opcode is Opcode.I32Add or Opcode.I32Sub or Opcode.I32Mul ? "uint32_t" : "uint64_t";
                    stack.Push($"({cast})({a} {op} {b})");
                    break;
                }
                case Opcode.End:
                    return stack.Pop();
                default:
                    throw new AotException($"unsupported constant instruction {instruction.Opcode.Mnemonic()}");
            }
        }
        throw new AotException("constant expression without end");
    }

    /// <summary>A C string literal (octal escapes, so a following digit never extends an escape).</summary>
    internal static string CString(string value)
    {
        var builder = new StringBuilder(value.Length + 2);
        AppendBytes(builder, Encoding.UTF8.GetBytes(value));
        return builder.ToString();
    }

    private static void AppendBytes(StringBuilder o, ReadOnlySpan<byte> bytes)
    {
        o.Append('"');
        var column = 0;
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and < 0x7F && b is not ((byte)'"' or (byte)'\\' or (byte)'?'))
            {
                o.Append((char)b);
                column++;
            }
            else
            {
                o.Append('\\').Append((char)('0' + (b >> 6))).Append((char)('0' + ((b >> 3) & 7))).Append((char)('0' + (b & 7)));
                column += 4;
            }
            if (column >= 120)
            {
                o.Append("\"\n    \"");
                column = 0;
            }
        }
        o.Append('"');
    }
}

/// <summary>C literals for wasm constants, exact to the bit.</summary>
internal static class CLiterals
{
    public static string I32(int value) => value switch
    {
        int.MinValue => "0x80000000u",
        < 0 => $"(uint32_t){value}",
        _ => $"{value}u",
    };

    public static string I64(long value) => value switch
    {
        long.MinValue => "0x8000000000000000ull",
        < 0 => $"(uint64_t){value}ll",
        _ => $"{value}ull",
    };

    public static string F32(uint bits)
    {
        var value = BitConverter.UInt32BitsToSingle(bits);
        if (!float.IsFinite(value))
            return $"wasm_f32_bits(0x{bits:X8}u)";
        if (bits == 0x80000000u)
            return "-0.0f";
        return WithPoint(value.ToString("R", CultureInfo.InvariantCulture)) + "f";
    }

    public static string F64(ulong bits)
    {
        var value = BitConverter.UInt64BitsToDouble(bits);
        if (!double.IsFinite(value))
            return $"wasm_f64_bits(0x{bits:X16}ull)";
        if (bits == 0x8000000000000000ul)
            return "-0.0";
        return WithPoint(value.ToString("R", CultureInfo.InvariantCulture));
    }

    /// <summary>16 little-endian bytes as <c>wasm_v128_make(low 8 bytes, high 8 bytes)</c>.</summary>
    public static string V128(UInt128 value) =>
        $"wasm_v128_make(0x{(ulong)value:X}ull, 0x{(ulong)(value >> 64):X}ull)";

    private static string WithPoint(string text) =>
        text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
}
