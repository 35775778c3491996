// @generated from the migrations by hand; keep in sync with infra/migrations/*.

diesel::table! {
    streets (id) {
        id -> BigInt,
        name -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    communities (id) {
        id -> BigInt,
        street_id -> BigInt,
        name -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    grids (id) {
        id -> BigInt,
        community_id -> BigInt,
        name -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    property_companies (id) {
        id -> BigInt,
        name -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    compounds (id) {
        id -> BigInt,
        community_id -> BigInt,
        name -> Text,
        property_company_id -> BigInt,
        committee_name -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    compound_companies (id) {
        id -> BigInt,
        compound_id -> BigInt,
        property_company_id -> BigInt,
        since -> BigInt,
        until -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::table! {
    buildings (id) {
        id -> BigInt,
        compound_id -> BigInt,
        name -> Text,
        grid_id -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        phone -> Text,
        password_hash -> Text,
        display_name -> Text,
        role -> Text,
        scope_id -> Nullable<BigInt>,
        compound_id -> Nullable<BigInt>,
        building_id -> Nullable<BigInt>,
        unit -> Nullable<Text>,
        created_at -> BigInt,
        disabled_at -> Nullable<BigInt>,
        verification -> Nullable<Text>,
        verification_note -> Nullable<Text>,
        verified_by -> Nullable<BigInt>,
        verified_at -> Nullable<BigInt>,
        scope_kind -> Nullable<Text>,
    }
}

diesel::table! {
    invitations (id) {
        id -> BigInt,
        code_hash -> Text,
        compound_id -> BigInt,
        building_id -> BigInt,
        created_by -> BigInt,
        created_at -> BigInt,
        expires_at -> BigInt,
        max_uses -> Nullable<Integer>,
        uses -> Integer,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        family_id -> Text,
        token_hash -> Text,
        issued_at -> BigInt,
        expires_at -> BigInt,
        used_at -> Nullable<BigInt>,
        revoked_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    login_failures (id) {
        id -> BigInt,
        phone -> Text,
        at -> BigInt,
    }
}

diesel::table! {
    sms_codes (id) {
        id -> BigInt,
        phone -> Text,
        purpose -> Text,
        code_hash -> Text,
        created_at -> BigInt,
        expires_at -> BigInt,
        attempts -> Integer,
        consumed_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    issues (id) {
        id -> BigInt,
        reporter_id -> BigInt,
        category -> Text,
        source -> Text,
        street_id -> BigInt,
        community_id -> BigInt,
        compound_id -> BigInt,
        building_id -> Nullable<BigInt>,
        grid_id -> Nullable<BigInt>,
        property_company_id -> BigInt,
        description -> Text,
        unit -> Nullable<Text>,
        location_text -> Nullable<Text>,
        lat -> Nullable<Double>,
        lon -> Nullable<Double>,
        is_public -> Bool,
        status -> Text,
        status_since -> BigInt,
        suggestion -> Text,
        level -> Nullable<Text>,
        handler_kind -> Nullable<Text>,
        handler_id -> Nullable<BigInt>,
        handler_name -> Nullable<Text>,
        urgency -> Text,
        response_due -> BigInt,
        resolution_due -> BigInt,
        created_at -> BigInt,
        triaged_at -> Nullable<BigInt>,
        responded_at -> Nullable<BigInt>,
        rectified_at -> Nullable<BigInt>,
        supervised_at -> Nullable<BigInt>,
        closed_at -> Nullable<BigInt>,
        closure -> Nullable<Text>,
        satisfaction -> Nullable<Integer>,
        reopen_count -> Integer,
        sent_back_count -> Integer,
        escalation_step -> Integer,
        revisit_queued -> Bool,
        revisited_at -> Nullable<BigInt>,
        support_count -> Integer,
        version -> BigInt,
        updated_at -> BigInt,
        returned_from -> Nullable<Text>,
        return_count -> Integer,
        returns_upheld -> Integer,
        returns_overruled -> Integer,
        urge_count -> Integer,
        extension_count -> Integer,
        pending_extension_due -> Nullable<BigInt>,
        merged_into -> Nullable<BigInt>,
        kind -> Text,
        caller_name -> Nullable<Text>,
        caller_phone -> Nullable<Text>,
        ticket_no -> Nullable<Text>,
        response_span_minutes -> Nullable<Integer>,
        resolution_span_minutes -> Nullable<Integer>,
    }
}

diesel::table! {
    extension_requests (id) {
        id -> BigInt,
        issue_id -> BigInt,
        requested_by -> BigInt,
        requested_at -> BigInt,
        new_resolution_due -> BigInt,
        reason -> Text,
        status -> Text,
        decided_by -> Nullable<BigInt>,
        decided_at -> Nullable<BigInt>,
        decision_note -> Nullable<Text>,
    }
}

diesel::table! {
    issue_followers (issue_id, user_id) {
        issue_id -> BigInt,
        user_id -> BigInt,
        merged_from -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    categories (code) {
        code -> Text,
        name_zh -> Text,
        name_en -> Text,
        kinds -> Text,
        default_level -> Nullable<Text>,
        default_urgency -> Text,
        photos_expected -> Bool,
        stop_notice -> Nullable<Text>,
        response_minutes -> Nullable<Integer>,
        resolution_minutes -> Nullable<Integer>,
        active -> Bool,
        position -> Integer,
        updated_at -> BigInt,
    }
}

diesel::table! {
    issue_events (id) {
        id -> BigInt,
        issue_id -> BigInt,
        seq -> BigInt,
        kind -> Text,
        from_status -> Nullable<Text>,
        to_status -> Text,
        actor_id -> Nullable<BigInt>,
        actor_role -> Nullable<Text>,
        at -> BigInt,
        data -> Text,
    }
}

diesel::table! {
    photos (id) {
        id -> BigInt,
        issue_id -> BigInt,
        uploaded_by -> BigInt,
        content_hash -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        created_at -> BigInt,
        thumbnail_hash -> Nullable<Text>,
    }
}

diesel::table! {
    photo_blobs (hash) {
        hash -> Text,
        bytes -> Binary,
        created_at -> BigInt,
    }
}

diesel::table! {
    comments (id) {
        id -> BigInt,
        issue_id -> BigInt,
        author_id -> BigInt,
        body -> Text,
        internal -> Bool,
        created_at -> BigInt,
    }
}

diesel::table! {
    supports (issue_id,user_id) {
        issue_id -> BigInt,
        user_id -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    notifications (id) {
        id -> BigInt,
        user_id -> BigInt,
        issue_id -> BigInt,
        event_id -> Nullable<BigInt>,
        kind -> Text,
        created_at -> BigInt,
        read_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    idempotency_keys (user_id,idem_key) {
        user_id -> BigInt,
        idem_key -> Text,
        request_hash -> Text,
        response_status -> Integer,
        response_body -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    assessments (id) {
        id -> BigInt,
        property_company_id -> BigInt,
        compound_id -> BigInt,
        period -> Text,
        score -> Integer,
        notes -> Text,
        assessor_id -> BigInt,
        created_at -> BigInt,
        month -> Nullable<Text>,
        items -> Nullable<Text>,
    }
}

diesel::table! {
    assessment_photos (id) {
        id -> BigInt,
        assessment_id -> BigInt,
        uploaded_by -> BigInt,
        content_hash -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    surveys (id) {
        id -> BigInt,
        title -> Text,
        period -> Text,
        questions -> Text,
        opens_at -> BigInt,
        closes_at -> BigInt,
        community_id -> Nullable<BigInt>,
        created_by -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    survey_compounds (survey_id, compound_id) {
        survey_id -> BigInt,
        compound_id -> BigInt,
        property_company_id -> BigInt,
    }
}

diesel::table! {
    survey_respondents (survey_id, user_id) {
        survey_id -> BigInt,
        user_id -> BigInt,
    }
}

diesel::table! {
    survey_responses (id) {
        id -> BigInt,
        survey_id -> BigInt,
        compound_id -> BigInt,
        property_company_id -> BigInt,
        answers -> Text,
    }
}

diesel::table! {
    rectification_orders (id) {
        id -> BigInt,
        run_id -> BigInt,
        period -> Text,
        property_company_id -> BigInt,
        items -> Text,
        due_at -> BigInt,
        status -> Text,
        issued_by -> BigInt,
        issued_at -> BigInt,
        plan -> Nullable<Text>,
        answer_note -> Nullable<Text>,
        answered_by -> Nullable<BigInt>,
        answered_at -> Nullable<BigInt>,
        closing_note -> Nullable<Text>,
        closed_by -> Nullable<BigInt>,
        closed_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    dissatisfaction_reasons (event_id, reason) {
        event_id -> BigInt,
        reason -> Text,
        issue_id -> BigInt,
    }
}

diesel::table! {
    work_calendars (year) {
        year -> Integer,
        data -> Text,
        updated_by -> Nullable<BigInt>,
        updated_at -> BigInt,
    }
}

diesel::table! {
    assessment_schemes (id) {
        id -> BigInt,
        year -> Integer,
        version -> Integer,
        spec -> Text,
        created_by -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    rating_runs (id) {
        id -> BigInt,
        period -> Text,
        scheme_id -> BigInt,
        scheme -> Text,
        results -> Text,
        status -> Text,
        revision -> Nullable<Integer>,
        amends_id -> Nullable<BigInt>,
        created_by -> BigInt,
        created_at -> BigInt,
        published_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    rating_appeals (id) {
        id -> BigInt,
        run_id -> BigInt,
        property_company_id -> BigInt,
        reason -> Text,
        filed_by -> BigInt,
        filed_at -> BigInt,
        status -> Text,
        decision_note -> Nullable<Text>,
        decided_by -> Nullable<BigInt>,
        decided_at -> Nullable<BigInt>,
        revision_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    outbox (notification_id) {
        notification_id -> BigInt,
        created_at -> BigInt,
        attempts -> Integer,
        next_attempt_at -> BigInt,
        lease_until -> Nullable<BigInt>,
        lease_owner -> Nullable<Text>,
        delivered_at -> Nullable<BigInt>,
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    devices (token) {
        token -> Text,
        user_id -> BigInt,
        platform -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    stream_tickets (ticket_hash) {
        ticket_hash -> Text,
        user_id -> BigInt,
        expires_at -> BigInt,
    }
}

diesel::table! {
    notices (id) {
        id -> BigInt,
        kind -> Text,
        title -> Text,
        body -> Text,
        pinned -> Bool,
        publisher_kind -> Text,
        publisher_id -> Nullable<BigInt>,
        publisher_name -> Text,
        created_by -> BigInt,
        created_at -> BigInt,
        expires_at -> Nullable<BigInt>,
        withdrawn_at -> Nullable<BigInt>,
        withdrawn_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    notice_compounds (notice_id, compound_id) {
        notice_id -> BigInt,
        compound_id -> BigInt,
    }
}

diesel::table! {
    notice_categories (notice_id, category) {
        notice_id -> BigInt,
        category -> Text,
    }
}

diesel::table! {
    patrols (id) {
        id -> BigInt,
        compound_id -> BigInt,
        community_id -> BigInt,
        started_at -> BigInt,
        finished_at -> Nullable<BigInt>,
        created_by -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    patrol_members (patrol_id, user_id) {
        patrol_id -> BigInt,
        user_id -> BigInt,
    }
}

diesel::table! {
    patrol_findings (id) {
        id -> BigInt,
        patrol_id -> BigInt,
        issue_id -> BigInt,
        fixed_on_the_spot -> Bool,
        note -> Nullable<Text>,
        created_by -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    meetings (id) {
        id -> BigInt,
        kind -> Text,
        title -> Text,
        community_id -> BigInt,
        compound_id -> Nullable<BigInt>,
        held_at -> BigInt,
        venue -> Text,
        minutes -> Nullable<Text>,
        published_at -> Nullable<BigInt>,
        notice_id -> Nullable<BigInt>,
        created_by -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    meeting_attendees (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        user_id -> Nullable<BigInt>,
        name -> Text,
        role_label -> Text,
    }
}

diesel::table! {
    meeting_cases (meeting_id, issue_id) {
        meeting_id -> BigInt,
        issue_id -> BigInt,
        role -> Text,
        position -> Integer,
        outcome -> Nullable<Text>,
        decision -> Nullable<Text>,
        resolution_due -> Nullable<BigInt>,
        votes_for -> Nullable<Integer>,
        votes_against -> Nullable<Integer>,
        votes_abstain -> Nullable<Integer>,
        decided_by -> Nullable<BigInt>,
        decided_at -> Nullable<BigInt>,
        event_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    meeting_compounds (meeting_id, compound_id) {
        meeting_id -> BigInt,
        compound_id -> BigInt,
    }
}

diesel::joinable!(notice_compounds -> notices (notice_id));
diesel::joinable!(notice_categories -> notices (notice_id));

diesel::joinable!(communities -> streets (street_id));
diesel::joinable!(grids -> communities (community_id));
diesel::joinable!(compounds -> communities (community_id));
diesel::joinable!(compounds -> property_companies (property_company_id));
diesel::joinable!(compound_companies -> compounds (compound_id));
diesel::joinable!(compound_companies -> property_companies (property_company_id));
diesel::joinable!(buildings -> compounds (compound_id));
diesel::joinable!(buildings -> grids (grid_id));
diesel::joinable!(users -> compounds (compound_id));
diesel::joinable!(users -> buildings (building_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(issues -> users (reporter_id));
diesel::joinable!(issues -> streets (street_id));
diesel::joinable!(issues -> communities (community_id));
diesel::joinable!(issues -> compounds (compound_id));
diesel::joinable!(issues -> buildings (building_id));
diesel::joinable!(issues -> grids (grid_id));
diesel::joinable!(issues -> property_companies (property_company_id));
diesel::joinable!(issue_events -> issues (issue_id));
diesel::joinable!(issue_events -> users (actor_id));
diesel::joinable!(photos -> issues (issue_id));
diesel::joinable!(photos -> users (uploaded_by));
diesel::joinable!(comments -> issues (issue_id));
diesel::joinable!(comments -> users (author_id));
diesel::joinable!(supports -> issues (issue_id));
diesel::joinable!(extension_requests -> issues (issue_id));
diesel::joinable!(issue_followers -> users (user_id));
diesel::joinable!(supports -> users (user_id));
diesel::joinable!(notifications -> users (user_id));
diesel::joinable!(notifications -> issues (issue_id));
diesel::joinable!(notifications -> issue_events (event_id));
diesel::joinable!(idempotency_keys -> users (user_id));
diesel::joinable!(outbox -> notifications (notification_id));
diesel::joinable!(devices -> users (user_id));
diesel::joinable!(stream_tickets -> users (user_id));
diesel::joinable!(assessments -> property_companies (property_company_id));
diesel::joinable!(assessments -> compounds (compound_id));
diesel::joinable!(assessments -> users (assessor_id));

diesel::joinable!(assessment_schemes -> users (created_by));
diesel::joinable!(work_calendars -> users (updated_by));
diesel::joinable!(rating_runs -> assessment_schemes (scheme_id));
diesel::joinable!(rating_runs -> users (created_by));
diesel::joinable!(rating_appeals -> property_companies (property_company_id));
diesel::joinable!(patrols -> compounds (compound_id));
diesel::joinable!(patrol_members -> patrols (patrol_id));
diesel::joinable!(patrol_members -> users (user_id));
diesel::joinable!(patrol_findings -> patrols (patrol_id));
diesel::joinable!(patrol_findings -> issues (issue_id));
diesel::joinable!(meeting_attendees -> meetings (meeting_id));
diesel::joinable!(meeting_cases -> meetings (meeting_id));
diesel::joinable!(meeting_cases -> issues (issue_id));
diesel::joinable!(meeting_compounds -> meetings (meeting_id));
diesel::joinable!(assessment_photos -> assessments (assessment_id));
diesel::joinable!(survey_compounds -> surveys (survey_id));
diesel::joinable!(survey_compounds -> compounds (compound_id));
diesel::joinable!(survey_responses -> surveys (survey_id));
diesel::joinable!(rectification_orders -> property_companies (property_company_id));
diesel::joinable!(rectification_orders -> rating_runs (run_id));
diesel::joinable!(dissatisfaction_reasons -> issues (issue_id));

diesel::allow_tables_to_appear_in_same_query!(
    categories,
    streets,
    communities,
    grids,
    property_companies,
    compounds,
    compound_companies,
    buildings,
    users,
    refresh_tokens,
    login_failures,
    sms_codes,
    invitations,
    issues,
    issue_events,
    photos,
    photo_blobs,
    comments,
    supports,
    extension_requests,
    issue_followers,
    notifications,
    idempotency_keys,
    assessments,
    assessment_schemes,
    work_calendars,
    rating_runs,
    rating_appeals,
    assessment_photos,
    surveys,
    survey_compounds,
    survey_respondents,
    survey_responses,
    rectification_orders,
    dissatisfaction_reasons,
    outbox,
    devices,
    stream_tickets,
    notices,
    notice_compounds,
    notice_categories,
    patrols,
    patrol_members,
    patrol_findings,
    meetings,
    meeting_attendees,
    meeting_cases,
    meeting_compounds,
);
