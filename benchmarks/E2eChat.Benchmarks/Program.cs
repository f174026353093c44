using BenchmarkDotNet.Running;
using E2eChat.Benchmarks;

// Examples:
//   dotnet run -c Release --project benchmarks/E2eChat.Benchmarks -- --filter '*' --job short
//   dotnet run -c Release --project benchmarks/E2eChat.Benchmarks -- --filter '*Primitive*' --job dry
BenchmarkSwitcher.FromAssembly(typeof(PrimitiveBenchmarks).Assembly).Run(args);
