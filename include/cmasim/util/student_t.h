// Student's t distribution, for confidence intervals (report) and drift tests (check): the one
// place Boost.Math is used.
#pragma once

namespace cmasim::util {

/// Two-sided Student t quantile t_{(1+confidence)/2, dof}.
double t_quantile(double confidence, double dof);

/// Two-sided p-value of a t statistic: P(|T| >= |t|) for T with `dof` degrees of freedom.
double t_two_sided_p(double t, double dof);

}  // namespace cmasim::util
