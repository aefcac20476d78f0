#include "cmasim/util/student_t.h"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>

namespace cmasim::util {

double t_quantile(double confidence, double dof) {
    const boost::math::students_t dist(dof);
    return boost::math::quantile(boost::math::complement(dist, (1.0 - confidence) / 2.0));
}

double t_two_sided_p(double t, double dof) {
    const boost::math::students_t dist(dof);
    return 2.0 * boost::math::cdf(boost::math::complement(dist, std::abs(t)));
}

}  // namespace cmasim::util
