using System.Runtime.CompilerServices;

// Tests check the date format and DER trimming helpers directly.
[assembly: InternalsVisibleTo("SealService.Pdf.Tests")]
