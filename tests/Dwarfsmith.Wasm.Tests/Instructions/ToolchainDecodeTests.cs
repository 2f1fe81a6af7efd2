using System.Globalization;
using System.Text.RegularExpressions;
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
    [InlineData("O2", new[] { "-O2" })]
    [InlineData("O0", new[] { "-O0" })]
    [InlineData("simd", new[] { "-O3", "-msimd128" })]
    public void Offsets_match_wasm_objdump(string name, string[] flags)
    {
        var directory = ToolRunner.TempDirectory($"toolchain-{Environment.ProcessId}");
        var source = Path.Combine(directory, "program.c");
        File.WriteAllText(source, Program);
        var output = Path.Combine(directory, $"program-{name}.wasm");
        string[] arguments = ["--target=wasm32-wasi", "-Wno-deprecated", "--sysroot=/usr", "--no-wasm-opt", "-g", .. flags, source, "-o", output, "-lm"];
        var (exit, _, stderr) = ToolRunner.Run(ToolRunner.Clang, arguments);
        Assert.True(exit == 0, stderr);

        var expected = ParseObjdump(ToolRunner.Run("wasm-objdump", "-d", output).Stdout);
        var module = File.ReadAllBytes(output);
        var bodies = TestModuleWalker.FunctionBodies(module, out _);
        Assert.Equal(expected.Count, bodies.Count);
        var total = 0;
        foreach (var body in bodies)
        {
            Assert.True(expected.TryGetValue(body.Index, out var offsets), $"function {body.Index}");
            var actual = new List<long>();
            var reader = new InstructionReader(module.AsSpan(body.CodeStart, body.CodeLength), body.CodeOffset);
            while (reader.TryRead(out var instruction))
                actual.Add(body.CodeOffset + instruction.Offset);
            Assert.Equal(offsets, actual);
            total += actual.Count;

            // Re-encoding every instruction reproduces the body byte for byte once widths are kept.
            var writer = new WasmWriter();
            var code = module.AsSpan(body.CodeStart, body.CodeLength);
            reader = new InstructionReader(code, body.CodeOffset);
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
