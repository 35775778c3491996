//! Problem documents in the caller's language. Handlers write `detail` in English; on the way
//! out, a problem for a caller who prefers Chinese (`Accept-Language`, or the district's
//! default `LINLI_DEFAULT_LANGUAGE`) gets its `title` and `detail` in Simplified Chinese. The
//! `code` never changes, so a client keys its logic on it and shows `detail` as it comes.

use actix_web::http::header::{self, HeaderMap};
use linli_domain::labels::Lang;

use crate::application::ProblemCode;

/// The language request `headers` prefer among those Linli speaks (`Accept-Language`), else
/// `default` (the district's, `LINLI_DEFAULT_LANGUAGE`).
pub fn preferred(headers: &HeaderMap, default: Lang) -> Lang {
    let accepted = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    accepted.and_then(Lang::negotiate).unwrap_or(default)
}

/// The reason phrase of `status` in Chinese (the English `title` is the HTTP reason phrase).
pub fn title_zh(status: u16) -> &'static str {
    match status {
        400 => "请求有误",
        401 => "未登录或登录已失效",
        403 => "无权操作",
        404 => "未找到",
        405 => "不支持的请求方法",
        408 => "请求超时",
        409 => "操作冲突",
        412 => "数据已变更",
        413 => "内容过大",
        415 => "不支持的内容类型",
        422 => "内容不符合要求",
        429 => "请求过于频繁",
        503 => "服务暂不可用",
        _ => "服务器错误",
    }
}

/// What went wrong, in Chinese, for a person. `field` is the offending field of a validation
/// problem; `retry_after` the seconds of a `Retry-After` header.
pub fn detail_zh(code: ProblemCode, field: Option<&str>, retry_after: Option<&str>) -> String {
    use ProblemCode as C;
    let text = match code {
        C::AlreadyDecided => "该延期申请已审批或已失效，不能再审批",
        C::AlreadySupported => "您已经附议过这条诉求",
        C::BadRequest => "请求无法理解",
        C::CannotChangeOwnRole => "不能修改自己账号的角色",
        C::CannotDisableSelf => "不能停用自己的账号",
        C::ConcurrentUpdate => "数据刚被他人修改，请刷新后重试",
        C::Conflict => "与已有数据冲突（例如名称重复）",
        C::Forbidden => "您的角色或管辖范围不允许此操作",
        C::FilingQuotaExceeded => "今天提交的诉求已达上限，请明天再提交",
        C::SessionRevoked => "登录已失效（已退出、修改密码、角色变更或账号停用），请重新登录",
        C::IdempotencyConflict => "相同的提交正在处理中，请稍候",
        C::IdempotencyKeyReused => "这个 Idempotency-Key 已用于另一份内容",
        C::ImageTooLarge => "图片太大（像素过多），请压缩后再上传",
        C::InvalidPhotoUrl => "照片链接无效",
        C::PhotoUrlExpired => "照片链接已过期，请刷新后再看",
        C::IllegalTransition => "诉求当前的状态不允许这一步操作",
        C::InternalError => "服务器出错了，已记录，请稍后重试",
        C::InvalidBody => "提交的内容缺少字段、多了字段或类型不对",
        C::InvalidCredentials => "手机号或密码错误",
        C::InvalidIdempotencyKey => "Idempotency-Key 的格式不正确",
        C::InvalidIfMatch => "If-Match 的格式不正确",
        C::InvalidQuery => "查询参数有误",
        C::InvalidRefreshToken => "登录凭证无效或已过期，请重新登录",
        C::InvalidInvitation => "邀请码无效、已过期或已用完",
        C::InvalidSmsCode => "验证码错误或已失效，请重新获取",
        C::InvalidTicket => "实时推送的连接凭证无效或已过期",
        C::InvalidToken => "登录凭证无效，请重新登录",
        C::IssueNotOpen => "诉求已办结、不予受理或已撤回",
        C::MalformedJson => "提交的内容不是有效的 JSON",
        C::MalformedMultipart => "上传的内容无法读取",
        C::MergeChain => "不能形成连环合并：目标诉求已并入其他诉求，或已有诉求并入本诉求",
        C::MergeIntoItself => "诉求不能合并到自身",
        C::MergeTargetClosed => "要并入的主诉求已办结、不予受理或已撤回",
        C::MethodNotAllowed => "这个地址不支持该请求方法",
        C::MissingToken => "请先登录",
        C::NotFound => "没有找到，或您无权查看",
        C::Overloaded => "服务繁忙，请稍后重试",
        C::OwnIssue => "不能附议自己提交的诉求",
        C::PayloadTooLarge => "提交的内容过大",
        C::PhoneTaken => "该手机号已注册",
        C::RefreshTokenReused => "登录凭证被重复使用，为安全起见已退出该设备的登录，请重新登录",
        C::RequestTimeout => "提交的内容未能及时送达",
        C::ServiceUnavailable => "服务暂不可用，请稍后重试",
        C::StaleVersion => "诉求已被更新，请刷新后重试",
        C::TokenExpired => "登录已过期，请刷新登录",
        C::TooManyConnections => "来自您地址的连接过多，请关闭部分连接后重试",
        C::TooManyPhotos => "这条诉求的照片已达上限",
        C::TooManyRequests => "尝试次数过多，请稍后再试",
        C::Unauthorized => "请先登录",
        C::UnsupportedImage => "无法识别的图片，请上传 JPEG、PNG 或 WebP 图片",
        C::UnsupportedMediaType => "不支持这种内容类型",
        C::ValidationFailed => "填写的内容不符合要求",
        C::VerificationRequired => "您的业主身份尚未认证，请等待物业或业委会认证",
        C::WrongPassword => "当前密码错误",
    };
    let mut detail = match (code, field) {
        (C::ValidationFailed, Some(field)) => format!("「{field}」{text}"),
        _ => text.to_owned(),
    };
    if let Some(seconds) = retry_after {
        detail.push_str(&format!("（{seconds} 秒后可重试）"));
    }
    detail
}

/// Rewrite a problem document (JSON) for `lang`: Chinese `title` and `detail`, everything else
/// as it was. English, or a body that is not a problem of a known code, comes back unchanged.
pub fn localise(body: &[u8], lang: Lang, retry_after: Option<&str>) -> Option<Vec<u8>> {
    if lang != Lang::Zh {
        return None;
    }
    let mut problem: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(body).ok()?;
    let code: ProblemCode = serde_json::from_value(problem.get("code")?.clone()).ok()?;
    let status = problem.get("status")?.as_u64()?;
    let field = problem.get("field").and_then(|f| f.as_str());
    let detail = detail_zh(code, field, retry_after);
    let title = title_zh(u16::try_from(status).ok()?);
    problem.insert("title".into(), title.into());
    problem.insert("detail".into(), detail.into());
    serde_json::to_vec(&problem).ok()
}
