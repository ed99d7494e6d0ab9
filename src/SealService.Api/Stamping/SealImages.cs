using System.Collections.Concurrent;
using SealService.Domain.Model;
using SealService.Pdf.Seals;

namespace SealService.Api.Stamping;

/// <summary>
/// The seal's image as stamped on documents, a pure function of its registry text: rendered once per seal version and
/// shared by the signing widget and the public pages (which must not re-render on every anonymous request).
/// </summary>
public sealed class SealImages
{
    /// <summary>Seal image resolution in pixels.</summary>
    public const int Pixels = 600;

    private readonly ConcurrentDictionary<(string SealId, int Version), Lazy<byte[]>> _png = new();

    public byte[] Png(Seal seal) =>
        _png.GetOrAdd((seal.Id, seal.Version), _ => new Lazy<byte[]>(() => SealImage.RenderPng(SealFace.FromSealText(seal.Text), Pixels))).Value;
}
