pub mod manage;
