using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm.Instructions;
using Dwarfsmith.Wasm.Validation;
using Xunit;

namespace Dwarfsmith.Wasm.Tests.Validation;

/// <summary>
/// clang-built modules (the corpus programs and SQLite; wasm-validate accepts them all) validate, and
/// the observer's operand effects are consistent: each instruction's height before, minus its pops,
/// plus its pushes, is the next instruction's height before.
/// </summary>
public class CorpusValidationTests
{
    private struct HeightChecker : IValidationObserver
    {
        public int Expected;
        public bool HaveExpected;
        public long Instructions;
        public string? Failure;

        public void OnInstruction(in Instruction instruction, in OperandEffect effect)
        {
            Instructions++;
            // After br/return/unreachable… the stack is reset to the frame height; the next height is
            // then the frame's, which the effect does not describe.
            if (HaveExpected && effect.HeightBefore != Expected && Failure is null)
                Failure = $"{instruction} at +0x{instruction.Offset:X}: height {effect.HeightBefore}, expected {Expected}";
            var info = OpcodeTable.Get(instruction.Opcode);
            HaveExpected = instruction.Opcode is not (Opcode.Unreachable or Opcode.Br or Opcode.BrTable or Opcode.Return
                or Opcode.ReturnCall or Opcode.ReturnCallIndirect or Opcode.Throw or Opcode.ThrowRef or Opcode.Rethrow) && !effect.Unreachable;
            Expected = effect.HeightBefore - CountRealPops(effect) + effect.Pushed.Length;
            if (info.Pops is { } pops && !effect.Unreachable && Failure is null && !effect.Popped.SequenceEqual(Reversed(pops)))
                Failure = $"{instruction} at +0x{instruction.Offset:X}: popped types differ from the table";
        }

        private static int CountRealPops(in OperandEffect effect)
        {
            var count = 0;
            foreach (var type in effect.Popped)
            {
                if (type != OperandTypes.Unknown)
                    count++;
            }
            return count;
        }

        private static ValueType[] Reversed(ValueType[] types)
        {
            var copy = (ValueType[])types.Clone();
            Array.Reverse(copy);
            return copy;
        }
    }

    public static TheoryData<string, OptLevel> Programs()
    {
        var data = new TheoryData<string, OptLevel>();
        foreach (var program in Corpus.Programs)
        {
            data.Add(program.Name, OptLevel.O0);
            data.Add(program.Name, OptLevel.O2);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void Corpus_program_validates(string name, OptLevel opt) =>
        ValidateWithChecks(Corpus.Get(name).BuildWasm(opt).Path);

    [Fact]
    public void Sqlite_validates() => ValidateWithChecks(Corpus.Sqlite().Path);

    private static void ValidateWithChecks(string path)
    {
        var module = WasmModule.ReadFile(path);
        var context = ValidationContext.FromModule(module);
        ModuleValidator.ValidateDeclarations(module, context);
        var validator = new FunctionValidator(context);
        long instructions = 0;
        foreach (var body in module.Bodies)
        {
            var checker = new HeightChecker();
            validator.Validate(body, ref checker);
            Assert.True(checker.Failure is null, $"function {body.FunctionIndex}: {checker.Failure}");
            instructions += checker.Instructions;
        }
        Assert.Equal(instructions, validator.InstructionCount);
        Assert.True(instructions > 100);
    }
}
