using BenchmarkDotNet.Running;

namespace SealService.Bench;

/// <summary>
/// Every benchmark class in this assembly is selectable: <c>dotnet run -c Release --project bench/SealService.Bench -- --filter '*'</c>.
/// Not top-level statements: the host's own <c>Program</c> (in-process benchmarks start it) keeps that name.
/// </summary>
internal static class BenchProgram
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(BenchProgram).Assembly).Run(args);
}
