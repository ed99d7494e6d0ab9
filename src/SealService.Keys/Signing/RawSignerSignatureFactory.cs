using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;

namespace SealService.Keys.Signing;

/// <summary>
/// BouncyCastle's <see cref="ISignatureFactory"/> over a raw signer, for what BouncyCastle assembles itself:
/// certificates, CRLs, OCSP answers and time-stamp tokens. The data is buffered (it is small: a TBS structure or
/// signed attributes) because SM2's digest needs all of it behind the Z prefix.
/// </summary>
public sealed class RawSignerSignatureFactory(IRawSigner signer) : ISignatureFactory
{
    public object AlgorithmDetails { get; } = signer.Algorithm switch
    {
        SealKeyAlgorithm.Rsa => new AlgorithmIdentifier(Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers.Sha256WithRsaEncryption, Org.BouncyCastle.Asn1.DerNull.Instance),
        SealKeyAlgorithm.Ecdsa => new AlgorithmIdentifier(Org.BouncyCastle.Asn1.X9.X9ObjectIdentifiers.ECDsaWithSha256),
        _ => new AlgorithmIdentifier(GMObjectIdentifiers.sm2sign_with_sm3),
    };

    public IStreamCalculator<IBlockResult> CreateCalculator() => new Calculator(signer);

    private sealed class Calculator(IRawSigner signer) : IStreamCalculator<IBlockResult>
    {
        private readonly MemoryStream _data = new();

        // BouncyCastle disposes the stream before asking for the result; ToArray still works then.
        public Stream Stream => _data;

        public IBlockResult GetResult() => new BytesResult(signer.SignData(_data.ToArray()));
    }
}

internal sealed class BytesResult(byte[] value) : IBlockResult
{
    public byte[] Collect() => (byte[])value.Clone();

    public int Collect(byte[] buf, int off)
    {
        value.CopyTo(buf, off);
        return value.Length;
    }

    public int Collect(Span<byte> output)
    {
        value.CopyTo(output);
        return value.Length;
    }

    public int GetMaxResultLength() => value.Length;
}
