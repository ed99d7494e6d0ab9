using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Tsp;
using Org.BouncyCastle.Utilities.Collections;
using Org.BouncyCastle.X509;
using SealService.Keys.Signing;

namespace SealService.Keys.Tsa;

/// <summary>
/// Built-in development TSA (BouncyCastle TSP) signing with the TSA certificate from certs-dev.
/// BouncyCastle's token and response generators keep state between calls, so each request gets
/// fresh ones. Not for production: its clock is this machine's clock.
/// </summary>
public sealed class DevTimeStampAuthority : ITimeStampAuthority
{
    /// <summary>Policy OID of development time-stamps (a private arc; documents say "development").</summary>
    public static readonly DerObjectIdentifier DevPolicy = new("1.3.6.1.4.1.55555.1.1");

    private readonly IRawSigner _key;
    private readonly X509Certificate _certificate;
    private readonly IReadOnlyList<X509Certificate> _chain;
    private readonly TimeProvider _clock;
    private long _serial = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;

    public DevTimeStampAuthority(IRawSigner key, TimeProvider? clock = null)
    {
        var certificate = key.Certificate;
        var chain = key.Chain.Where(c => !c.SubjectDN.Equivalent(c.IssuerDN)).ToList();
        if (key.Algorithm == SealKeyAlgorithm.Sm2)
        {
            throw new KeysException(KeyErrorCodes.KeyAlgorithmUnsupported, "The development TSA signs with RSA or ECDSA.");
        }

        _key = key;
        _certificate = certificate;
        _chain = chain;
        _clock = clock ?? TimeProvider.System;
        MaxTokenSize = certificate.GetEncoded().Length + chain.Sum(c => c.GetEncoded().Length) + key.MaxSignatureLength + 1536;
    }

    public X509Certificate Certificate => _certificate;

    public int MaxTokenSize { get; }

    public Task<byte[]> GetTokenAsync(byte[] digest, string digestAlgorithmOid, CancellationToken cancellationToken = default)
    {
        var requestGenerator = new TimeStampRequestGenerator();
        requestGenerator.SetCertReq(true);
        var request = requestGenerator.Generate(digestAlgorithmOid, digest, BigInteger.ValueOf(Interlocked.Increment(ref _serial)));
        var response = Respond(request);
        if (response.Status != 0 && response.Status != 1)
        {
            throw new KeysException(KeyErrorCodes.TsaRejected, $"Development TSA refused the request: {response.GetStatusString()}");
        }

        response.Validate(request);
        return Task.FromResult(response.TimeStampToken.GetEncoded());
    }

    /// <summary>
    /// RFC 3161 over HTTP, the body of an application/timestamp-query POST in and the
    /// application/timestamp-reply out; an API host can expose this as the dev TSA endpoint.
    /// </summary>
    public byte[] HandleHttpRequest(ReadOnlySpan<byte> timeStampQuery)
    {
        if (timeStampQuery.Length is 0 or > 4096)
        {
            return new TimeStampResponseGenerator(NewTokenGenerator(), TspAlgorithms.Allowed)
                .GenerateFailResponse(Org.BouncyCastle.Asn1.Cmp.PkiStatus.Rejection, Org.BouncyCastle.Asn1.Cmp.PkiFailureInfo.BadDataFormat, "bad request size")
                .GetEncoded();
        }

        TimeStampRequest request;
        try
        {
            request = new TimeStampRequest(timeStampQuery.ToArray());
        }
        catch (Exception ex) when (ex is IOException or TspException or ArgumentException or Asn1Exception)
        {
            return new TimeStampResponseGenerator(NewTokenGenerator(), TspAlgorithms.Allowed)
                .GenerateFailResponse(Org.BouncyCastle.Asn1.Cmp.PkiStatus.Rejection, Org.BouncyCastle.Asn1.Cmp.PkiFailureInfo.BadDataFormat, "malformed request")
                .GetEncoded();
        }

        return Respond(request).GetEncoded();
    }

    private TimeStampResponse Respond(TimeStampRequest request)
    {
        var generator = new TimeStampResponseGenerator(NewTokenGenerator(), TspAlgorithms.Allowed);
        var serial = BigInteger.ValueOf(Interlocked.Increment(ref _serial));
        return generator.Generate(request, serial, _clock.GetUtcNow().UtcDateTime);
    }

    private TimeStampTokenGenerator NewTokenGenerator()
    {
        var signerInfo = new SignerInfoGeneratorBuilder().Build(new RawSignerSignatureFactory(_key), _certificate);
        var generator = new TimeStampTokenGenerator(signerInfo, Asn1DigestFactory.Get(NistObjectIdentifiers.IdSha256), DevPolicy, true);
        generator.SetCertificates(CollectionUtilities.CreateStore(new[] { _certificate }.Concat(_chain).ToList()));
        generator.SetAccuracySeconds(1);
        return generator;
    }
}
