namespace SealService.Domain.Stamping;

/// <summary>Bound from "SealService" (PublicBaseUrl) and "SealService:Stamping" by the host.</summary>
public sealed class StampingOptions
{
    /// <summary>Base of download and verification URLs (the QR code points to {base}/verify/{documentId}).</summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>Largest uploaded PDF (bytes); larger is PDF_TOO_LARGE.</summary>
    public long MaxUploadBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>Document-number pattern per seal id, e.g. "牡审沙〔{year}〕{seq:0000}号"; absent → derived from the seal text.</summary>
    public Dictionary<string, string> NumberPatterns { get; set; } = new(StringComparer.Ordinal);
}
