using System.Text;
using Dwarfsmith.Wasm.Instructions;

namespace Dwarfsmith.Aot;

/// <summary>
/// The C expression of each simple instruction (numeric operations, conversions, loads and stores) as
/// a template: <c>{a}</c>, <c>{b}</c>, <c>{c}</c> are the operands from the deepest, <c>{o}</c> the code
/// offset (for traps), <c>{m}</c> the memarg offset, <c>{l}</c> a SIMD lane index. Templates are parsed
/// once into parts. Each SIMD instruction calls the Runtime/wasm_simd.h function named after its mnemonic.
/// </summary>
internal static class CTemplates
{
    private static readonly Dictionary<Opcode, Part[]> s_templates = Build();

    /// <summary>A literal run of text, or a placeholder (Placeholder != 0).</summary>
    internal readonly record struct Part(string Text, char Placeholder);

    public static bool TryGet(Opcode opcode, out Part[] template) => s_templates.TryGetValue(opcode, out template!);

    public static void Append(StringBuilder o, Part[] template, string a, string b, string c, uint codeOffset, ulong memoryOffset, byte lane)
    {
        foreach (var part in template)
        {
            switch (part.Placeholder)
            {
                case '\0': o.Append(part.Text); break;
                case 'a': o.Append(a); break;
                case 'b': o.Append(b); break;
                case 'c': o.Append(c); break;
                case 'o': o.Append(codeOffset); break;
                case 'm': o.Append(memoryOffset).Append('u'); break;
                case 'l': o.Append(lane); break;
            }
        }
    }

    private static Dictionary<Opcode, Part[]> Build()
    {
        var t = new Dictionary<Opcode, string>();
        void Compare(string p, string signed, Opcode eq, Opcode ne, Opcode ltS, Opcode ltU, Opcode gtS, Opcode gtU, Opcode leS, Opcode leU, Opcode geS, Opcode geU)
        {
            t[eq] = "{a} == {b}";
            t[ne] = "{a} != {b}";
            t[ltS] = $"({signed}){{a}} < ({signed}){{b}}";
            t[ltU] = "{a} < {b}";
            t[gtS] = $"({signed}){{a}} > ({signed}){{b}}";
            t[gtU] = "{a} > {b}";
            t[leS] = $"({signed}){{a}} <= ({signed}){{b}}";
            t[leU] = "{a} <= {b}";
            t[geS] = $"({signed}){{a}} >= ({signed}){{b}}";
            t[geU] = "{a} >= {b}";
            _ = p;
        }
        t[Opcode.I32Eqz] = "{a} == 0";
        t[Opcode.I64Eqz] = "{a} == 0";
        Compare("i32", "int32_t", Opcode.I32Eq, Opcode.I32Ne, Opcode.I32LtS, Opcode.I32LtU, Opcode.I32GtS, Opcode.I32GtU, Opcode.I32LeS, Opcode.I32LeU, Opcode.I32GeS, Opcode.I32GeU);
        Compare("i64", "int64_t", Opcode.I64Eq, Opcode.I64Ne, Opcode.I64LtS, Opcode.I64LtU, Opcode.I64GtS, Opcode.I64GtU, Opcode.I64LeS, Opcode.I64LeU, Opcode.I64GeS, Opcode.I64GeU);
        foreach (var (eq, ne, lt, gt, le, ge) in new[]
        {
            (Opcode.F32Eq, Opcode.F32Ne, Opcode.F32Lt, Opcode.F32Gt, Opcode.F32Le, Opcode.F32Ge),
            (Opcode.F64Eq, Opcode.F64Ne, Opcode.F64Lt, Opcode.F64Gt, Opcode.F64Le, Opcode.F64Ge),
        })
        {
            t[eq] = "{a} == {b}";
            t[ne] = "{a} != {b}";
            t[lt] = "{a} < {b}";
            t[gt] = "{a} > {b}";
            t[le] = "{a} <= {b}";
            t[ge] = "{a} >= {b}";
        }

        void Integer(string p, string signed, int bits, Opcode first)
        {
            // clz ctz popcnt add sub mul div_s div_u rem_s rem_u and or xor shl shr_s shr_u rotl rotr
            string[] ops =
            [
                $"wasm_{p}_clz({{a}})", $"wasm_{p}_ctz({{a}})", $"wasm_{p}_popcnt({{a}})",
                "{a} + {b}", "{a} - {b}", "{a} * {b}",
                $"wasm_{p}_div_s({{a}}, {{b}}, {{o}})", $"wasm_{p}_div_u({{a}}, {{b}}, {{o}})",
                $"wasm_{p}_rem_s({{a}}, {{b}}, {{o}})", $"wasm_{p}_rem_u({{a}}, {{b}}, {{o}})",
                "{a} & {b}", "{a} | {b}", "{a} ^ {b}",
                $"{{a}} << ({{b}} & {bits - 1})", $"(uint{bits}_t)(({signed}){{a}} >> ({{b}} & {bits - 1}))", $"{{a}} >> ({{b}} & {bits - 1})",
                $"wasm_{p}_rotl({{a}}, {{b}})", $"wasm_{p}_rotr({{a}}, {{b}})",
            ];
            for (var i = 0; i < ops.Length; i++)
                t[first + i] = ops[i];
        }
        Integer("i32", "int32_t", 32, Opcode.I32Clz);
        Integer("i64", "int64_t", 64, Opcode.I64Clz);

        void Float(string p, Opcode first)
        {
            // abs neg ceil floor trunc nearest sqrt add sub mul div min max copysign
            string[] ops =
            [
                $"wasm_{p}_abs({{a}})", $"wasm_{p}_neg({{a}})", $"wasm_{p}_ceil({{a}})", $"wasm_{p}_floor({{a}})",
                $"wasm_{p}_trunc({{a}})", $"wasm_{p}_nearest({{a}})", $"wasm_{p}_sqrt({{a}})",
                "{a} + {b}", "{a} - {b}", "{a} * {b}", "{a} / {b}",
                $"wasm_{p}_min({{a}}, {{b}})", $"wasm_{p}_max({{a}}, {{b}})", $"wasm_{p}_copysign({{a}}, {{b}})",
            ];
            for (var i = 0; i < ops.Length; i++)
                t[first + i] = ops[i];
        }
        Float("f32", Opcode.F32Abs);
        Float("f64", Opcode.F64Abs);

        t[Opcode.I32WrapI64] = "(uint32_t){a}";
        t[Opcode.I32TruncF32S] = "wasm_i32_trunc_f32_s({a}, {o})";
        t[Opcode.I32TruncF32U] = "wasm_i32_trunc_f32_u({a}, {o})";
        t[Opcode.I32TruncF64S] = "wasm_i32_trunc_f64_s({a}, {o})";
        t[Opcode.I32TruncF64U] = "wasm_i32_trunc_f64_u({a}, {o})";
        t[Opcode.I64ExtendI32S] = "(uint64_t)(int64_t)(int32_t){a}";
        t[Opcode.I64ExtendI32U] = "(uint64_t){a}";
        t[Opcode.I64TruncF32S] = "wasm_i64_trunc_f32_s({a}, {o})";
        t[Opcode.I64TruncF32U] = "wasm_i64_trunc_f32_u({a}, {o})";
        t[Opcode.I64TruncF64S] = "wasm_i64_trunc_f64_s({a}, {o})";
        t[Opcode.I64TruncF64U] = "wasm_i64_trunc_f64_u({a}, {o})";
        t[Opcode.F32ConvertI32S] = "(float)(int32_t){a}";
        t[Opcode.F32ConvertI32U] = "(float){a}";
        t[Opcode.F32ConvertI64S] = "(float)(int64_t){a}";
        t[Opcode.F32ConvertI64U] = "(float){a}";
        t[Opcode.F32DemoteF64] = "(float){a}";
        t[Opcode.F64ConvertI32S] = "(double)(int32_t){a}";
        t[Opcode.F64ConvertI32U] = "(double){a}";
        t[Opcode.F64ConvertI64S] = "(double)(int64_t){a}";
        t[Opcode.F64ConvertI64U] = "(double){a}";
        t[Opcode.F64PromoteF32] = "wasm_f64_promote_f32({a})";
        t[Opcode.I32ReinterpretF32] = "wasm_i32_reinterpret_f32({a})";
        t[Opcode.I64ReinterpretF64] = "wasm_i64_reinterpret_f64({a})";
        t[Opcode.F32ReinterpretI32] = "wasm_f32_reinterpret_i32({a})";
        t[Opcode.F64ReinterpretI64] = "wasm_f64_reinterpret_i64({a})";
        t[Opcode.I32Extend8S] = "(uint32_t)(int32_t)(int8_t){a}";
        t[Opcode.I32Extend16S] = "(uint32_t)(int32_t)(int16_t){a}";
        t[Opcode.I64Extend8S] = "(uint64_t)(int64_t)(int8_t){a}";
        t[Opcode.I64Extend16S] = "(uint64_t)(int64_t)(int16_t){a}";
        t[Opcode.I64Extend32S] = "(uint64_t)(int64_t)(int32_t){a}";
        t[Opcode.I32TruncSatF32S] = "wasm_i32_trunc_sat_f32_s({a})";
        t[Opcode.I32TruncSatF32U] = "wasm_i32_trunc_sat_f32_u({a})";
        t[Opcode.I32TruncSatF64S] = "wasm_i32_trunc_sat_f64_s({a})";
        t[Opcode.I32TruncSatF64U] = "wasm_i32_trunc_sat_f64_u({a})";
        t[Opcode.I64TruncSatF32S] = "wasm_i64_trunc_sat_f32_s({a})";
        t[Opcode.I64TruncSatF32U] = "wasm_i64_trunc_sat_f32_u({a})";
        t[Opcode.I64TruncSatF64S] = "wasm_i64_trunc_sat_f64_s({a})";
        t[Opcode.I64TruncSatF64U] = "wasm_i64_trunc_sat_f64_u({a})";

        // Loads: {a} is the address. Stores: {a} the address, {b} the value.
        t[Opcode.I32Load] = "wasm_load32({a}, {m}, {o})";
        t[Opcode.I64Load] = "wasm_load64({a}, {m}, {o})";
        t[Opcode.F32Load] = "wasm_load_f32({a}, {m}, {o})";
        t[Opcode.F64Load] = "wasm_load_f64({a}, {m}, {o})";
        t[Opcode.I32Load8S] = "(uint32_t)(int8_t)wasm_load8({a}, {m}, {o})";
        t[Opcode.I32Load8U] = "wasm_load8({a}, {m}, {o})";
        t[Opcode.I32Load16S] = "(uint32_t)(int16_t)wasm_load16({a}, {m}, {o})";
        t[Opcode.I32Load16U] = "wasm_load16({a}, {m}, {o})";
        t[Opcode.I64Load8S] = "(uint64_t)(int8_t)wasm_load8({a}, {m}, {o})";
        t[Opcode.I64Load8U] = "wasm_load8({a}, {m}, {o})";
        t[Opcode.I64Load16S] = "(uint64_t)(int16_t)wasm_load16({a}, {m}, {o})";
        t[Opcode.I64Load16U] = "wasm_load16({a}, {m}, {o})";
        t[Opcode.I64Load32S] = "(uint64_t)(int32_t)wasm_load32({a}, {m}, {o})";
        t[Opcode.I64Load32U] = "wasm_load32({a}, {m}, {o})";
        t[Opcode.I32Store] = "wasm_store32({a}, {m}, {b}, {o})";
        t[Opcode.I64Store] = "wasm_store64({a}, {m}, {b}, {o})";
        t[Opcode.F32Store] = "wasm_store_f32({a}, {m}, {b}, {o})";
        t[Opcode.F64Store] = "wasm_store_f64({a}, {m}, {b}, {o})";
        t[Opcode.I32Store8] = "wasm_store8({a}, {m}, (uint8_t){b}, {o})";
        t[Opcode.I32Store16] = "wasm_store16({a}, {m}, (uint16_t){b}, {o})";
        t[Opcode.I64Store8] = "wasm_store8({a}, {m}, (uint8_t){b}, {o})";
        t[Opcode.I64Store16] = "wasm_store16({a}, {m}, (uint16_t){b}, {o})";
        t[Opcode.I64Store32] = "wasm_store32({a}, {m}, (uint32_t){b}, {o})";

        // Bulk memory: {a} {b} {c} are the three operands.
        t[Opcode.MemoryFill] = "wasm_memory_fill({a}, {b}, {c}, {o})";
        t[Opcode.MemoryCopy] = "wasm_memory_copy({a}, {b}, {c}, {o})";

        AddSimd(t);
        return t.ToDictionary(kv => kv.Key, kv => Parse(kv.Value));
    }

    /// <summary>
    /// WebAssembly 2.0's SIMD instructions: <c>wasm_&lt;mnemonic with '.' as '_'&gt;(operands…)</c>, with
    /// memory instructions taking (address, memarg offset, [vector,] [lane,] code offset) and lane
    /// instructions (vector, [value,] lane). v128.const and i8x16.shuffle carry 16 bytes and are
    /// written by the function translator.
    /// </summary>
    private static void AddSimd(Dictionary<Opcode, string> t)
    {
        foreach (var info in OpcodeTable.All)
        {
            if (info.Feature != Feature.Simd || info.Opcode is Opcode.V128Const or Opcode.I8x16Shuffle)
                continue;
            var name = "wasm_" + info.Mnemonic.Replace('.', '_');
            var operands = info.Pops!.Length;
            t[info.Opcode] = info.Immediate switch
            {
                ImmediateKind.MemArg => operands == 1 ? $"{name}({{a}}, {{m}}, {{o}})" : $"{name}({{a}}, {{m}}, {{b}}, {{o}})",
                ImmediateKind.MemArgLane => $"{name}({{a}}, {{m}}, {{b}}, {{l}}, {{o}})",
                ImmediateKind.Lane => operands == 1 ? $"{name}({{a}}, {{l}})" : $"{name}({{a}}, {{b}}, {{l}})",
                _ => operands switch
                {
                    1 => $"{name}({{a}})",
                    2 => $"{name}({{a}}, {{b}})",
                    _ => $"{name}({{a}}, {{b}}, {{c}})",
                },
            };
        }
    }

    private static Part[] Parse(string template)
    {
        var parts = new List<Part>();
        var literal = new StringBuilder();
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] == '{' && i + 2 < template.Length && template[i + 2] == '}')
            {
                if (literal.Length > 0)
                    parts.Add(new Part(literal.ToString(), '\0'));
                literal.Clear();
                parts.Add(new Part("", template[i + 1]));
                i += 2;
            }
            else
            {
                literal.Append(template[i]);
            }
        }
        if (literal.Length > 0)
            parts.Add(new Part(literal.ToString(), '\0'));
        return [.. parts];
    }
}
