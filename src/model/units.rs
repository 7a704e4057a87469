//! Units named in the types, where months, years, real and nominal dollars meet (as
//! hyperfine's `type Second = Scalar`): aliases cost nothing at run time and tell a reader
//! which of the model's quantities a number is.

/// A month index from the start of year 0 (month `m` falls in year `m / 12`).
pub type Month = u32;

/// A length of time in months, not rounded (a search of 3.4 months).
pub type Months = f64;

/// A year index, `0 .. horizon`.
pub type Year = usize;

/// Dollars of year 0 (today's dollars): salaries, costs, net cash flows.
pub type RealDollars = f64;

/// Dollars of the day they are paid: loan balances and payments (their rates and payments
/// are contractual). A nominal amount paid in month `m` is worth
/// `amount / (1 + inflation)^(m / 12)` real dollars.
pub type NominalDollars = f64;
