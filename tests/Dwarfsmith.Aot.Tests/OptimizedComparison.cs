using System.Text.Json.Nodes;

namespace Dwarfsmith.Aot.Tests;

/// <summary>
/// What the -O2 debugger tests (<see cref="DebugInfoGdbOptimizedTests"/>,
/// <see cref="DebugInfoLldbOptimizedTests"/>) accept beyond the -O0 rules: a value the AOT build shows
/// as optimized out (never another value), and a caller's line where the C compiler merged the calls
/// of two lines.
/// </summary>
internal static class OptimizedComparison
{
    private const string OptimizedOut = "<optimized out>";

    /// <summary>
    /// Where the AOT build shows a value (or a member or element) as optimized out, takes that for
    /// the native value too, so that the comparison then finds any other difference; counts both kinds.
    /// </summary>
    public static void AcceptOptimizedOut(JsonNode native, JsonNode aot, ref int shown, ref int optimizedOut)
    {
        switch (native, aot)
        {
            case (JsonObject nativeObject, JsonObject aotObject):
                foreach (var (key, nativeValue) in nativeObject.ToList())
                {
                    if (nativeValue is null || aotObject[key] is not { } aotValue)
                        continue;
                    if (IsOptimizedOut(aotValue) && !IsOptimizedOut(nativeValue))
                    {
                        nativeObject[key] = OptimizedOut;
                        optimizedOut++;
                    }
                    else
                    {
                        AcceptOptimizedOut(nativeValue, aotValue, ref shown, ref optimizedOut);
                    }
                }

                break;
            case (JsonArray nativeArray, JsonArray aotArray) when nativeArray.Count == aotArray.Count:
                for (int i = 0; i < nativeArray.Count; i++)
                {
                    if (nativeArray[i] is not { } nativeValue || aotArray[i] is not { } aotValue)
                        continue;
                    if (IsOptimizedOut(aotValue) && !IsOptimizedOut(nativeValue))
                    {
                        nativeArray[i] = OptimizedOut;
                        optimizedOut++;
                    }
                    else
                    {
                        AcceptOptimizedOut(nativeValue, aotValue, ref shown, ref optimizedOut);
                    }
                }

                break;
            case (JsonValue, JsonValue):
                if (!IsOptimizedOut(aot))
                    shown++;
                break;
        }
    }

    /// <summary>
    /// Takes the native line for callers' frames (all but the stop's own) of the same function whose
    /// line differs (see the class's summary); returns how many.
    /// </summary>
    public static int AcceptCallerLines(JsonArray native, JsonArray aot)
    {
        int accepted = 0;
        for (int i = 1; i < Math.Min(native.Count, aot.Count); i++)
        {
            if (native[i]!["function"]?.GetValue<string>() == aot[i]!["function"]?.GetValue<string>()
                && native[i]!["line"]?.GetValue<int>() != aot[i]!["line"]?.GetValue<int>())
            {
                aot[i]!["line"] = native[i]!["line"]!.GetValue<int>();
                accepted++;
            }
        }

        return accepted;
    }

    private static bool IsOptimizedOut(JsonNode node) => node is JsonValue value && value.TryGetValue(out string? text) && text == OptimizedOut;
}
