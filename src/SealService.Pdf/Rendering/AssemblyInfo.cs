using System.Runtime.CompilerServices;

// Line breaking and layout internals are unit-tested directly.
[assembly: InternalsVisibleTo("SealService.Pdf.Tests")]
