using Dwarfsmith.Wasm.Instructions;

namespace Dwarfsmith.Wasm.Validation;

/// <summary>What validating a module established.</summary>
public sealed record ValidationResult(int FunctionCount, long InstructionCount);

/// <summary>
/// Validates a whole module (WebAssembly 2.0, plus the extensions its <see cref="WasmFeatures"/>
/// enable): imports, limits, globals and their initializers, exports, start, element and data
/// segments, and every function body, which also decodes every instruction.
/// </summary>
public static class ModuleValidator
{
    private const ulong MaxPages32 = 65536;

    public static ValidationResult Validate(WasmModule module, IOperandObserver? observer = null)
    {
        var context = new ValidationContext(module);
        ValidateDeclarations(module, context);
        var functions = new FunctionValidator(context, observer);
        foreach (var body in module.Bodies)
            functions.Validate(body);
        return new ValidationResult(module.Bodies.Count, functions.InstructionCount);
    }

    private static void ValidateDeclarations(WasmModule module, ValidationContext context)
    {
        var types = module.Types.Count;
        foreach (var import in module.Imports)
        {
            var where = Where(module, SectionId.Import);
            switch (import.Kind)
            {
                case ExternalKind.Function when import.TypeIndex >= types:
                    throw Fail($"unknown type {import.TypeIndex} for import {import.Module}.{import.Name}", where);
                case ExternalKind.Table:
                    CheckLimits(import.Table.Limits, uint.MaxValue, "table", where);
                    break;
                case ExternalKind.Memory:
                    CheckMemory(import.Memory, where);
                    break;
                case ExternalKind.Tag:
                    CheckTag(context, import.Tag, where);
                    break;
            }
        }
        foreach (var typeIndex in module.FunctionTypeIndices)
        {
            if (typeIndex >= types)
                throw Fail($"unknown type {typeIndex}", Where(module, SectionId.Function));
        }
        foreach (var table in module.Tables)
            CheckLimits(table.Limits, uint.MaxValue, "table", Where(module, SectionId.Table));
        if (context.Memories.Length > 1 && !context.Has(WasmFeatures.MultiMemory))
            throw Fail("multiple memories", Where(module, module.Memories.Count > 0 ? SectionId.Memory : SectionId.Import));
        foreach (var memory in module.Memories)
            CheckMemory(memory, Where(module, SectionId.Memory));
        foreach (var tag in module.Tags)
            CheckTag(context, tag, Where(module, SectionId.Tag));

        for (var i = 0; i < module.Globals.Count; i++)
        {
            var global = module.Globals[i];
            // WebAssembly 2.0 lets initializers read only imported globals; extended-const also
            // earlier defined ones.
            var visible = context.Has(WasmFeatures.ExtendedConst) ? context.ImportedGlobalCount + i : context.ImportedGlobalCount;
            ConstantExpressions.Validate(global.Init, global.Type.ValueType, context, visible);
        }

        var exportNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var export in module.Exports)
        {
            var where = Where(module, SectionId.Export);
            if (!exportNames.Add(export.Name))
                throw Fail($"duplicate export name \"{export.Name}\"", where);
            var count = export.Kind switch
            {
                ExternalKind.Function => context.FunctionTypeIndices.Length,
                ExternalKind.Table => context.Tables.Length,
                ExternalKind.Memory => context.Memories.Length,
                ExternalKind.Global => context.Globals.Length,
                _ => context.TagTypeIndices.Length,
            };
            if (export.Index >= (uint)count)
                throw Fail($"unknown {export.Kind.ToString().ToLowerInvariant()} {export.Index} in export \"{export.Name}\"", where);
        }

        if (module.StartFunction is { } start)
        {
            var where = Where(module, SectionId.Start);
            if (!context.TryGetFunctionType(start, out var type))
                throw Fail($"unknown function {start}", where);
            if (type.Parameters.Length != 0 || type.Results.Length != 0)
                throw Fail("start function must have type [] -> []", where);
        }

        var allGlobals = context.Has(WasmFeatures.ExtendedConst) ? context.Globals.Length : context.ImportedGlobalCount;
        foreach (var element in module.Elements)
        {
            var where = Where(module, SectionId.Element);
            if (element.Mode == SegmentMode.Active)
            {
                if (element.TableIndex >= (uint)context.Tables.Length)
                    throw Fail($"unknown table {element.TableIndex}", where);
                var table = context.Tables[element.TableIndex];
                if (table.ElementType != element.ElementType)
                    throw Fail("type mismatch: element segment and table types differ", where);
                ConstantExpressions.Validate(element.Offset!, table.Limits.Is64 ? ValueType.I64 : ValueType.I32, context, allGlobals);
            }
            if (element.FunctionIndices is { } indices)
            {
                foreach (var index in indices)
                {
                    if (index >= (uint)context.FunctionTypeIndices.Length)
                        throw Fail($"unknown function {index}", where);
                }
            }
            else
            {
                foreach (var expression in element.Expressions!)
                    ConstantExpressions.Validate(expression, element.ElementType, context, allGlobals);
            }
        }

        foreach (var data in module.Data)
        {
            if (data.Mode != SegmentMode.Active)
                continue;
            if (data.MemoryIndex >= (uint)context.Memories.Length)
                throw Fail($"unknown memory {data.MemoryIndex}", Where(module, SectionId.Data));
            var memory = context.Memories[data.MemoryIndex];
            ConstantExpressions.Validate(data.Offset!, memory.Limits.Is64 ? ValueType.I64 : ValueType.I32, context, allGlobals);
        }
    }

    private static void CheckMemory(MemoryType memory, (string Section, long Offset) where)
    {
        var limits = memory.Limits;
        CheckLimits(limits, limits.Is64 ? 1UL << 48 : MaxPages32, "memory", where);
        if (limits.Shared && limits.Maximum is null)
            throw Fail("shared memory must have maximum", where);
    }

    private static void CheckLimits(Limits limits, ulong bound, string what, (string Section, long Offset) where)
    {
        if (limits.Minimum > bound || limits.Maximum > bound)
        {
            throw Fail(what == "memory"
                ? "memory size must be at most 65536 pages (4GiB)"
                : $"{what} size must be at most {bound}", where);
        }
        if (limits.Maximum is { } maximum && limits.Minimum > maximum)
            throw Fail("size minimum must not be greater than maximum", where);
    }

    private static void CheckTag(ValidationContext context, TagType tag, (string Section, long Offset) where)
    {
        if (tag.TypeIndex >= (uint)context.Types.Count)
            throw Fail($"unknown type {tag.TypeIndex}", where);
        if (context.Types[(int)tag.TypeIndex].Results.Length != 0)
            throw Fail("non-empty tag result type", where);
    }

    private static (string Section, long Offset) Where(WasmModule module, SectionId id)
    {
        var section = module.FindSection(id);
        return (SectionIds.DisplayName(id), section?.PayloadOffset ?? 0);
    }

    private static WasmFormatException Fail(string reason, (string Section, long Offset) where) => new(reason, where.Section, where.Offset);
}

/// <summary>Validation of initializer expressions: constant instructions only, of the expected type.</summary>
internal static class ConstantExpressions
{
    public static void Validate(ConstantExpression expression, ValueType expected, ValidationContext context, int visibleGlobals)
    {
        var reader = new InstructionReader(expression.Bytes.Span, expression.FileOffset, "constant expression");
        Span<ValueType> stack = stackalloc ValueType[16];
        var height = 0;
        var extended = context.Has(WasmFeatures.ExtendedConst);
        while (reader.TryRead(out var instruction))
        {
            var offset = instruction.Offset;
            WasmFormatException Error(string reason) => Fail(expression, offset, reason);
            void Push(ValueType type, Span<ValueType> values)
            {
                if (height == values.Length)
                    throw Error("constant expression too deep");
                values[height++] = type;
            }
            switch (instruction.Opcode)
            {
                case Opcode.I32Const: Push(ValueType.I32, stack); break;
                case Opcode.I64Const: Push(ValueType.I64, stack); break;
                case Opcode.F32Const: Push(ValueType.F32, stack); break;
                case Opcode.F64Const: Push(ValueType.F64, stack); break;
                case Opcode.V128Const: Push(ValueType.V128, stack); break;
                case Opcode.RefNull: Push(instruction.RefType, stack); break;
                case Opcode.RefFunc:
                    if (instruction.FunctionIndex >= (uint)context.FunctionTypeIndices.Length)
                        throw Error($"unknown function {instruction.FunctionIndex}");
                    Push(ValueType.FuncRef, stack);
                    break;
                case Opcode.GlobalGet:
                {
                    var index = instruction.GlobalIndex;
                    if (index >= (uint)visibleGlobals)
                        throw Error($"unknown global {index}");
                    var global = context.Globals[index];
                    if (global.Mutable)
                        throw Error("constant expression required: global.get of a mutable global");
                    Push(global.ValueType, stack);
                    break;
                }
                case Opcode.I32Add or Opcode.I32Sub or Opcode.I32Mul when extended:
                case Opcode.I64Add or Opcode.I64Sub or Opcode.I64Mul when extended:
                {
                    var type = instruction.Opcode is Opcode.I32Add or Opcode.I32Sub or Opcode.I32Mul ? ValueType.I32 : ValueType.I64;
                    if (height < 2 || stack[height - 1] != type || stack[height - 2] != type)
                        throw Error("type mismatch in constant expression");
                    height--;
                    break;
                }
                case Opcode.End:
                    if (height != 1 || stack[0] != expected)
                        throw Error($"type mismatch: constant expression must produce one {expected.Name()}");
                    if (!reader.AtEnd)
                        throw Error("constant expression continues after end");
                    return;
                default:
                    throw Error($"constant expression required: {instruction.Opcode.Mnemonic()} is not constant");
            }
        }
        throw Fail(expression, expression.Bytes.Length, "unexpected end of constant expression");
    }

    private static WasmFormatException Fail(ConstantExpression expression, int offset, string reason) =>
        new(reason, "constant expression", expression.FileOffset + offset);
}
