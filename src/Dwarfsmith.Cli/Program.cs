namespace Dwarfsmith.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        GcHeapHugePages.Advise(out _, out _);
        return CommandLine.Run(args, Console.Out, Console.Error);
    }
}
