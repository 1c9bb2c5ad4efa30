export { customerId, desired, domain, email, group, live, liveGroup, phone, profile } from "./builders.js";
export { applyPlan } from "./apply-plan.js";
