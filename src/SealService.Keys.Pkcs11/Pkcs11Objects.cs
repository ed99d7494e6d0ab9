using System.Text;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using Org.BouncyCastle.X509;

namespace SealService.Keys.Pkcs11;

/// <summary>Finding a key's objects (private key, certificate) by label or id, and the certificates in a token.</summary>
internal static class Pkcs11Objects
{
    public static IObjectAttribute Attribute(CKA type, object value) => value switch
    {
        CKO o => Pkcs11Token.Factories.ObjectAttributeFactory.Create(type, o),
        CKK k => Pkcs11Token.Factories.ObjectAttributeFactory.Create(type, k),
        CKC c => Pkcs11Token.Factories.ObjectAttributeFactory.Create(type, c),
        bool b => Pkcs11Token.Factories.ObjectAttributeFactory.Create(type, b),
        string s => Pkcs11Token.Factories.ObjectAttributeFactory.Create(type, s),
        byte[] bytes => Pkcs11Token.Factories.ObjectAttributeFactory.Create(type, bytes),
        ulong u => Pkcs11Token.Factories.ObjectAttributeFactory.Create(type, u),
        _ => throw new ArgumentException($"unsupported attribute value {value.GetType().Name}", nameof(value)),
    };

    public static IObjectAttribute Match(Pkcs11KeyMatch match, string keyReference) => match == Pkcs11KeyMatch.Id
        ? Attribute(CKA.CKA_ID, Encoding.UTF8.GetBytes(keyReference))
        : Attribute(CKA.CKA_LABEL, keyReference);

    public static IObjectHandle? Find(ISession session, CKO objectClass, Pkcs11KeyMatch match, string keyReference)
    {
        var found = session.FindAllObjects([Attribute(CKA.CKA_CLASS, objectClass), Match(match, keyReference)]);
        return found.Count switch
        {
            0 => null,
            1 => found[0],
            _ => throw new KeysException(KeyErrorCodes.KeyFileInvalid, $"The token holds {found.Count} {objectClass} objects for '{keyReference}'; a reference must name one."),
        };
    }

    public static X509Certificate ReadCertificate(ISession session, IObjectHandle handle)
    {
        var value = session.GetAttributeValue(handle, [CKA.CKA_VALUE])[0].GetValueAsByteArray();
        try
        {
            return new X509CertificateParser().ReadCertificate(value)
                ?? throw new KeysException(KeyErrorCodes.KeyFileInvalid, "A certificate object in the token is empty.");
        }
        catch (Exception e) when (e is Org.BouncyCastle.Security.Certificates.CertificateException or IOException or ArgumentException)
        {
            throw new KeysException(KeyErrorCodes.KeyFileInvalid, "A certificate object in the token cannot be read.", e);
        }
    }

    /// <summary>Every X.509 certificate in the token (CA certificates stored beside the keys).</summary>
    public static List<X509Certificate> AllCertificates(ISession session) =>
        session.FindAllObjects([Attribute(CKA.CKA_CLASS, CKO.CKO_CERTIFICATE), Attribute(CKA.CKA_CERTIFICATE_TYPE, CKC.CKC_X_509)])
            .Select(h => ReadCertificate(session, h)).ToList();
}
