namespace SealService.Domain.Model;

/// <summary>权力类型. The catalogue text is kept as printed; this is its primary category.</summary>
public enum PowerType
{
    License,            // 行政许可
    Confirmation,       // 行政确认
    Benefit,            // 行政给付
    Levy,               // 行政征收
    OtherPower,         // 其他行政权力 (also 其他权利, 其他类审核转报)
    PublicService,      // 公共服务
    ConvenienceService, // 便民服务
}

/// <summary>赋权方式.</summary>
public enum DelegationMode
{
    EntrustedHandling,   // 委托办理
    EntrustedAcceptance, // 委托受理 / 服务窗口前移
    DirectDevolution,    // 直接下放 / 直接划转 / 直接赋权
    ReviewDevolved,      // 下放实质性审核权
}

/// <summary>办理环节. Wire names: accept, initial-check, review, re-check, decide, issue.</summary>
public enum CaseStep
{
    Accept,
    InitialCheck,
    Review,
    ReCheck,
    Decide,
    Issue,
}

/// <summary>Stored agreement status. "Expired" and "not yet effective" are derived from the period.</summary>
public enum AgreementStatus
{
    Draft,
    Effective,
    Suspended,
    Revoked,
}

/// <summary>Agreement status as seen at an instant (stored status plus the period).</summary>
public enum AgreementState
{
    Draft,
    Effective,
    Suspended,
    Revoked,
    Expired,
    NotYetEffective,
}

public enum SealKind
{
    /// <summary>2号公章: the department's approval seal held by a township, acting in the department's name.</summary>
    DepartmentNo2,

    /// <summary>The township's own approval seal (e.g. 泽州县××镇人民政府行政审批服务专用章).</summary>
    TownshipOwn,

    /// <summary>The department's own approval seal, kept by the department.</summary>
    DepartmentOwn,
}

public enum SealStatus
{
    Active,
    Suspended,
    Revoked,
    Retired,
}

public enum TownshipKind
{
    Town,        // 镇 / 乡
    Subdistrict, // 街道
}

/// <summary>Catalogue level: matters for township centres or for village stations (初审 / 帮办代办 only).</summary>
public enum MatterLevel
{
    Township,
    Village,
}

/// <summary>What is being stamped (optional in a stamp request).</summary>
public enum DocumentKind
{
    AcceptanceReceipt, // 受理通知书
    ReviewOpinion,     // 审核意见
    Decision,          // 决定书
    Certificate,       // 证照
    Certification,     // 证明
    Other,
}

public enum CallerRole
{
    RegistryAdmin,
    DepartmentOfficer,
    TownshipClerk,
    Auditor,
}
