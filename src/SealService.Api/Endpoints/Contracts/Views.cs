using SealService.Domain.Application;
using SealService.Domain.Model;

namespace SealService.Api.Endpoints.Contracts;

/// <summary>An agreement version on the wire; <c>name</c> is its title, <c>state</c> its status as of now.</summary>
public sealed record AgreementView(
    string Id, string Name, int Version, string DepartmentId, string TownshipId, DatePeriod Period,
    string? FilingNumber, DateOnly? FilingDate, string Status, string State,
    IReadOnlyList<AgreementMatterView> Matters, ChangeInfo Change)
{
    public static AgreementView From(DelegationAgreement a, DateTimeOffset now) => new(
        a.Id, a.Title, a.Version, a.DepartmentId, a.TownshipId, a.Period, a.FilingNumber, a.FilingDate,
        Wire.Name(a.Status), Wire.Name(a.StateAt(now)),
        [.. a.Matters.Select(m => new AgreementMatterView(m.MatterId, Wire.Name(m.Mode), [.. m.Steps.Select(s => s.Name())]))],
        a.Change);
}

public sealed record AgreementMatterView(string MatterId, string Mode, IReadOnlyList<string> Steps);

/// <summary>A seal version on the wire; <c>name</c> is its legal text.</summary>
public sealed record SealView(
    string Id, string Name, int Version, string Kind, string ActingBodyId, string? HoldingTownshipId,
    DatePeriod Validity, string KeyRef, string? ArcText, string? PurposeText, string Status, ChangeInfo Change, string? SignatureLevel)
{
    public static SealView From(Seal s) => new(
        s.Id, s.Text, s.Version, Wire.Name(s.Kind), s.ActingBodyId, s.HoldingTownshipId, s.Validity, s.KeyRef,
        s.ArcText, s.PurposeText, Wire.Name(s.Status), s.Change, s.SignatureLevel?.Name());
}

/// <summary>一镇街一清单 at a date.</summary>
public sealed record TownshipListView(string TownshipId, string TownshipName, DateOnly Date, IReadOnlyList<TownshipListItem> Items, int Total)
{
    public static TownshipListView From(TownshipList list) => new(
        list.Township.Id, list.Township.Name, list.Date,
        [.. list.Entries.Select(e => new TownshipListItem(
            e.Matter.Id, e.Matter.Name, e.Matter.Code, e.Matter.PowerTypeText, Wire.Name(e.Mode),
            [.. e.Steps.Select(s => s.Name())], e.DepartmentId, e.AgreementId, e.AgreementVersion))],
        list.Entries.Count);
}

/// <summary>One matter on a township's list: <c>id</c>/<c>name</c> are the matter's.</summary>
public sealed record TownshipListItem(
    string Id, string Name, string? Code, string PowerType, string Mode, IReadOnlyList<string> Steps,
    string DepartmentId, string AgreementId, int AgreementVersion);

/// <summary>The stamp-check answer: the policy decision, as a real stamp would get it.</summary>
public sealed record StampCheckView(bool Allowed, string? Code, string Message, BasisView? Basis, DateTimeOffset At);

public sealed record BasisView(string SealId, int SealVersion, string? AgreementId, int? AgreementVersion, string? Mode, string ActingBodyId);

public sealed record CatalogImportView(string File, int Inserted, int Updated, int Unchanged, int Total);
