/** RDS facts the program decides on, as pure functions over plain strings. */

/**
 * Performance Insights (Database Insights, Standard mode) on RDS for MySQL is not offered on the
 * smallest burstable classes: "Database Insights isn't supported for the following instance
 * classes: db.t2.micro, db.t2.small, db.t3.micro, db.t3.small, db.t4g.micro, db.t4g.small"
 * (Amazon RDS User Guide, "Amazon RDS DB engine, Region, and instance class support for Database
 * Insights", USER_DatabaseInsights.Engines). Asking for it there fails the create at apply time.
 */
const WITHOUT_PERFORMANCE_INSIGHTS = /^db\.(t2|t3|t4g)\.(micro|small)$/;

export function supportsPerformanceInsights(instanceClass: string): boolean {
    return !WITHOUT_PERFORMANCE_INSIGHTS.test(instanceClass);
}

/** Days of Performance Insights history: 7 is the free tier; longer periods are billed. */
export const PERFORMANCE_INSIGHTS_RETENTION_DAYS = 7;

/** Seconds between enhanced-monitoring samples (RDS allows 0, 1, 5, 10, 15, 30, 60). */
export const ENHANCED_MONITORING_INTERVAL = 60;
