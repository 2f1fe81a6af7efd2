using System.Globalization;
using System.Text.RegularExpressions;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm.Instructions;
using Xunit;

namespace Dwarfsmith.Wasm.Tests.Instructions;

/// <summary>Decodes modules built by clang and compares every instruction offset with wasm-objdump.</summary>
public partial class ToolchainDecodeTests
{
    private const string Program = """
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <math.h>

        static int classify(int x)
        {
            switch (x) {
            case 0: return 3; case 1: return 7; case 2: return 9; case 3: return 1;
            case 5: return 22; case 8: return 40; default: return -1;
            }
        }

        struct pair { long long a; double b; };

        __attribute__((noinline)) static struct pair mix(int n, float f)
        {
            struct pair p = { (long long)n * 1234567891LL, sqrt((double)f) + n };
            return p;
        }

        int main(int argc, char **argv)
        {
            char buffer[128];
            memset(buffer, 0, sizeof buffer);
            memcpy(buffer, argv[0], strlen(argv[0]) < 100 ? strlen(argv[0]) : 100);
            unsigned long long acc = 0;
            for (int i = 0; i < argc * 1000; i++)
                acc = acc * 31 + (unsigned char)buffer[i % 128] + classify(i & 15);
            struct pair p = mix(argc, (float)acc);
            char *heap = malloc(64);
            snprintf(heap, 64, "%llu %lld %.3f %d", acc, p.a, p.b, (int)(signed char)acc);
            puts(heap);
            free(heap);
            return (int)(acc & 1);
        }
        """;

    [GeneratedRegex(@"^ ([0-9a-f]+): [0-9a-f ]+\| (.*)$")]
    private static partial Regex InstructionLine();

    [GeneratedRegex(@"^([0-9a-f]+) func\[(\d+)\]")]
    private static partial Regex FunctionLine();

    [Theory]
    [InlineData("O2", OptLevel.O2, new string[0])]
    [InlineData("O0", OptLevel.O0, new string[0])]
    [InlineData("simd", OptLevel.O3, new[] { "-msimd128" })]
    public void Offsets_match_wasm_objdump(string name, OptLevel opt, string[] flags)
    {
        var source = Path.Combine(RepoPaths.CacheDirectory(Path.Combine("tmp", "toolchain-decode")), "program.c");
        if (!File.Exists(source) || File.ReadAllText(source) != Program)
            File.WriteAllText(source, Program);
        var output = CCompiler.Compile(source, CompileOptions.Wasm(opt) with { Flags = [.. flags, "-lm"], OutputName = $"program-{name}.wasm" }).Path;

        var expected = ParseObjdump(ProcessRunner.Run(Toolchain.WasmObjdump, ["-d", output]).EnsureSuccess().StandardOutput);
        var module = WasmModule.ReadFile(output);
        Assert.Equal(expected.Count, module.Bodies.Count);
        var total = 0;
        foreach (var body in module.Bodies)
        {
            Assert.True(expected.TryGetValue((int)body.FunctionIndex, out var offsets), $"function {body.FunctionIndex}");
            var code = body.Instructions.Span;
            var actual = new List<long>();
            var reader = new InstructionReader(code, body.InstructionsOffset);
            while (reader.TryRead(out var instruction))
                actual.Add(body.InstructionsOffset + instruction.Offset);
            Assert.Equal(offsets, actual);
            total += actual.Count;

            // Re-encoding every instruction reproduces the body byte for byte once widths are kept.
            var writer = new WasmWriter();
            reader = new InstructionReader(code, body.InstructionsOffset);
            while (reader.TryRead(out var instruction))
            {
                var before = writer.Length;
                InstructionWriter.Write(writer, instruction, code);
                if (writer.Length - before != instruction.Length)
                {
                    // Padded LEB (relocation site): re-encode with the original main-immediate width.
                    var padded = new WasmWriter();
                    for (var width = 2; width <= 10 && padded.Length != instruction.Length; width++)
                    {
                        padded.Clear();
                        InstructionWriter.Write(padded, instruction, code, width);
                    }
                    Assert.Equal(code.Slice(instruction.Offset, instruction.Length).ToArray(), padded.ToArray());
                }
            }
        }
        Assert.True(total > 1000, $"only {total} instructions");
    }

    private static Dictionary<int, List<long>> ParseObjdump(string text)
    {
        var result = new Dictionary<int, List<long>>();
        List<long>? current = null;
        foreach (var line in text.Split('\n'))
        {
            var function = FunctionLine().Match(line);
            if (function.Success)
            {
                current = [];
                result[int.Parse(function.Groups[2].Value, CultureInfo.InvariantCulture)] = current;
                continue;
            }
            var instruction = InstructionLine().Match(line);
            var mnemonic = instruction.Groups[2].Value.Trim();
            if (instruction.Success && current is not null && mnemonic.Length > 0 && !mnemonic.StartsWith("local[", StringComparison.Ordinal))
                current.Add(long.Parse(instruction.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        }
        return result;
    }
}
