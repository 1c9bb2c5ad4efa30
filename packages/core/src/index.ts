export type {
  AbsentProfilePrecondition,
  Action,
  ActionType,
  AddMemberAction,
  CreateCustomerAction,
  CreateGroupAction,
  CustomerRef,
  DeleteGroupAction,
  DesiredGroup,
  DesiredState,
  GroupDeletion,
  GroupPrecondition,
  GroupRef,
  GroupResolution,
  Identity,
  KeptActions,
  LiveGroup,
  LiveProfile,
  LiveState,
  MassRemoval,
  MatchMode,
  MatchPrecondition,
  Membership,
  MembershipPrecondition,
  MissingMode,
  Plan,
  PlanError,
  PlanErrorCode,
  PlanPreconditions,
  PlanSummary,
  PlanWarning,
  RemoveMemberAction,
  RenameGroupAction,
  Rule,
  RuleKind,
  RuleResolution,
  SafetyThresholds,
  UnmanagedGroups,
  WarningCode,
} from "./types.js";
export { diff, ACTION_ORDER, type DiffOptions } from "./diff.js";
export { rulesNeedingLookup, candidateProfileIds, type RuleLookup } from "./rules-needing-lookup.js";
export { resolveGroupIds } from "./match-groups.js";
export {
  createLivePhoneKey,
  emailDomain,
  groupNameKey,
  liveEmailKey,
  normalizeEmail,
  normalizePhone,
} from "./normalize.js";
export { maskEmail, maskName, maskPhone } from "./mask.js";
export {
  escapeQuotedUnsafe,
  escapeMarkdown,
  escapeText,
  hasUnsafeChars,
  maskUnsafeChars,
  neutralizeCsvCell,
  quoteText,
} from "./sanitize.js";
export { ruleLabel } from "./rule-label.js";
export { createRuleMatcher, type ProfileContact } from "./rule-matcher.js";
export { DEFAULT_THRESHOLDS } from "./thresholds.js";
export { withoutRemovals } from "./without-removals.js";
export { renderText, type RenderTextOptions, type SafetyOverrides } from "./render-text.js";
export { padToWidth, PLAIN_STYLE, truncateToWidth, withoutColors, type TextStyle } from "./text-style.js";
export { renderMarkdown, MARKDOWN_MAX_LENGTH, type RenderMarkdownOptions } from "./render-markdown.js";
export { renderMarkdownParts, type RenderMarkdownPartsOptions } from "./render-markdown-parts.js";
export { renderJson, type RenderJsonOptions } from "./render-json.js";
export { parsePlanJson, validatePlan, type ParsePlanResult } from "./parse-plan-json.js";
