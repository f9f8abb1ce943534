//! `wxaudit diff OLD.json NEW.json`: what changed between two saved JSON reports.
