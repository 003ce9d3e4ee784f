pub mod audit;
pub mod staff;
